import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DriftDetail } from '../types.ts';
import { REDACTED } from './secrets.ts';
import { summarizeDetail } from './summary.ts';

const d = (
  path: string,
  desired: DriftDetail['desired'],
  live: DriftDetail['live'],
  type: DriftDetail['type'] = 'ConfigurationChange',
): DriftDetail => ({ path, type, severity: 'medium', desired, live, manager: null, changed_at: null });

it('summarizeDetail: one line per detail', () => {
  const rows: [DriftDetail, string][] = [
    [d('spec.replicas', 3, 5, 'Scaling'), 'replicas 3 → 5'],
    [
      d('spec.template.spec.containers[name=web].image', 'nginx:1.25', 'nginx:1.26', 'VersionChange'),
      'image nginx:1.25 → nginx:1.26',
    ],
    [d('data.password', REDACTED, REDACTED, 'SecretChange'), 'data.password changed'],
    [d('data.new', null, REDACTED, 'SecretChange'), 'data.new added'],
    [d('metadata.labels.team', null, 'payments', 'LabelChange'), 'metadata.labels.team added (payments)'],
    [
      d('spec.template.spec.containers[name=web].args', ['--a'], null),
      'spec.template.spec.containers[name=web].args removed (was ["--a"])',
    ],
    [d('x', '', 'y'), 'x "" → y'],
    // A long value that differs late: both sides are shown from just before the difference.
    [
      d(
        'webhooks[name=check.example.com].rules',
        [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['deployments'],
          },
        ],
        [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['deployments', 'statefulsets'],
          },
        ],
      ),
      'webhooks[name=check.example.com].rules …deployments"]}] → …deployments","statefulsets"]}]',
    ],
    [d('', null, null, 'Missing'), 'missing from the cluster'],
  ];
  for (const [detail, text] of rows) assert.equal(summarizeDetail(detail), text);
});
