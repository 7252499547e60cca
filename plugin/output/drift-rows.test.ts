import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftDetail, DriftRecord } from '../../shared/types.ts';
import { driftDetail, driftRecord } from '../../shared/api/record.testkit.ts';
import { palette } from './color.ts';
import { renderDescribe } from './describe.ts';
import { byCluster, changedBy, detailText, renderDriftTable, resourceLabel } from './drift-rows.ts';

/** A medium Scaling detail by `kubectl` on 1 January. */
const detail = (over: Partial<DriftDetail>): DriftDetail =>
  driftDetail({ severity: 'medium', manager: 'kubectl', changed_at: '2026-01-01T00:00:00Z', ...over });

/** A medium drift with no hashes or commit, first seen on 1 January. */
const record = (over: Partial<DriftRecord>): DriftRecord =>
  driftRecord({
    severity: 'medium',
    drift_details: [detail({})],
    desired_hash: null,
    live_hash: null,
    git_commit: null,
    first_detected: '2026-01-01T00:00:00Z',
    last_checked: '2026-01-01T00:00:00Z',
    ...over,
  });

describe('drift rows', () => {
  it('labels namespaced and cluster-scoped resources like kubectl', () => {
    assert.equal(
      resourceLabel({ kind: 'Deployment', namespace: 'shop', name: 'web' }),
      'Deployment/shop/web',
    );
    assert.equal(resourceLabel({ kind: 'Namespace', namespace: '', name: 'shop' }), 'Namespace/shop');
  });

  it("stands for the detail of the record's type, the latest change winning (removed + added list item)", () => {
    const r = record({
      kind: 'Service',
      drift_type: 'PortChange',
      drift_details: [
        detail({
          path: 'spec.ports[port=80]',
          type: 'PortChange',
          desired: { port: 80 },
          live: null,
          manager: 'kubectl-client-side-apply',
          changed_at: '2026-01-01T00:00:00Z',
        }),
        detail({
          path: 'spec.ports[port=8080]',
          type: 'PortChange',
          desired: null,
          live: { port: 8080 },
          manager: 'kubectl-patch',
          changed_at: '2026-01-02T00:00:00Z',
        }),
        detail({ path: 'metadata.labels.a', type: 'LabelChange', severity: 'low', manager: 'kubectl-label' }),
      ],
    });
    assert.equal(changedBy(r), 'kubectl-patch');
    // The removal and the addition are one change (the port renumbered), so one more entry, not two.
    assert.equal(detailText(r), 'spec.ports[port=80] → [port=8080]: port 80 → 8080 (+1 more)');
  });

  it('in a tie on time (same second), the added item stands for the row, not the removed one', () => {
    const t = '2026-01-01T00:00:00Z';
    const r = record({
      kind: 'Deployment',
      drift_type: 'VolumeChange',
      drift_details: [
        detail({
          path: 'spec.template.spec.containers[name=web].volumeMounts[mountPath=/etc/web]',
          type: 'VolumeChange',
          desired: { mountPath: '/etc/web' },
          live: null,
          manager: 'kubectl-client-side-apply',
          changed_at: t,
        }),
        detail({
          path: 'spec.template.spec.containers[name=web].volumeMounts[mountPath=/etc/other]',
          type: 'VolumeChange',
          desired: null,
          live: { mountPath: '/etc/other' },
          manager: 'kubectl-patch',
          changed_at: t,
        }),
      ],
    });
    assert.equal(changedBy(r), 'kubectl-patch');
  });

  it('shows the resolution message of a resolved record', () => {
    assert.equal(
      detailText(
        record({
          drift_status: 'resolved',
          drift_type: null,
          severity: null,
          drift_details: [],
          resolution_message: 'replicas back to 3 (kubectl)',
        }),
      ),
      'replicas back to 3 (kubectl)',
    );
  });

  it('describe never shows a Secret value, whatever the detail holds', () => {
    const r = record({
      kind: 'Secret',
      drift_type: 'SecretChange',
      severity: 'high',
      drift_details: [
        detail({
          path: 'data.password',
          type: 'SecretChange',
          severity: 'high',
          desired: 'c2VjcmV0',
          live: 'bmV3',
        }),
      ],
    });
    const text = renderDescribe(r, [], palette(false), Date.parse('2026-01-01T00:01:00Z'));
    assert.ok(!text.includes('c2VjcmV0') && !text.includes('bmV3'));
    assert.doesNotMatch(text, /Changed By/);
    const changedBy = {
      user: 'dev-2@example.com',
      groups: ['devs'],
      impersonated_by: null,
      user_agent: 'kubectl/v1.37.2 (linux/amd64)',
      source_ips: ['10.0.0.7'],
      manager: 'kubectl-edit',
      verb: 'update',
      time: '2026-01-01T00:00:30.000Z',
      resource_version: '17',
      audit_id: 'a',
    };
    assert.match(
      renderDescribe({ ...r, changed_by: changedBy }, [], palette(false), Date.parse('2026-01-01T00:01:00Z')),
      /^Changed By: +changed by dev-2@example\.com with kubectl-edit at 00:00 from 10\.0\.0\.7 \(groups devs\); kubectl\/v1\.37\.2 \(linux\/amd64\)$/m,
    );
    assert.match(text, /- desired: \(redacted\)\n\s+\+ live: {4}\(redacted\)\n/);

    const binary = record({
      kind: 'Secret',
      drift_type: 'SecretChange',
      severity: 'high',
      drift_details: [
        detail({
          path: 'binaryData.key',
          type: 'SecretChange',
          severity: 'high',
          desired: 'a2V5',
          live: null,
        }),
      ],
    });
    const binaryText = renderDescribe(binary, [], palette(false), Date.parse('2026-01-01T00:01:00Z'));
    assert.ok(!binaryText.includes('a2V5'), binaryText);
    assert.match(binaryText, /- desired: \(redacted\)\n\s+\+ live: {4}null\n/);
  });
});

describe('one table entry per change', () => {
  it('a Service port renumbered is one entry, not a removal and an addition', () => {
    const was = { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 };
    const now = { name: 'http', port: 8081, protocol: 'TCP', targetPort: 8080 };
    const rec = record({
      kind: 'Service',
      drift_type: 'PortChange',
      severity: 'high',
      drift_details: [
        detail({
          path: 'spec.ports[port=80]',
          type: 'PortChange',
          severity: 'high',
          desired: was,
          live: null,
        }),
        detail({
          path: 'spec.ports[port=8081]',
          type: 'PortChange',
          severity: 'high',
          desired: null,
          live: now,
        }),
      ],
    });
    assert.equal(detailText(rec), 'spec.ports[port=80] → [port=8081]: port 80 → 8081');
  });
  it('an addition next to an unrelated change still counts as its own entry', () => {
    const rec = record({
      kind: 'Service',
      drift_type: 'PortChange',
      severity: 'high',
      drift_details: [
        detail({
          path: 'spec.ports[port=80].targetPort',
          type: 'PortChange',
          severity: 'high',
          desired: 80,
          live: 81,
        }),
        detail({
          path: 'spec.ports[port=9090]',
          type: 'PortChange',
          severity: 'high',
          desired: null,
          live: { port: 9090 },
        }),
      ],
    });
    assert.match(detailText(rec), /\(\+1 more\)$/);
  });

  it('a CLUSTER column first for several clusters’ records, grouped by cluster', () => {
    const rows = byCluster([
      record({ cluster: 'west', name: 'web', resource_id: 'Deployment:shop:web' }),
      record({ cluster: 'east', name: 'web', resource_id: 'Deployment:shop:web' }),
      record({ cluster: 'east', name: 'zeta', resource_id: 'Deployment:shop:zeta' }),
    ]);
    const table = renderDriftTable(rows, {
      wide: false,
      withAge: false,
      withCluster: true,
      colors: palette(false),
    });
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^CLUSTER\s+RESOURCE\s+TYPE/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['east Deployment/shop/web', 'east Deployment/shop/zeta', 'west Deployment/shop/web'],
    );
    const without = renderDriftTable(rows, { wide: false, withAge: false, colors: palette(false) });
    assert.doesNotMatch(without, /CLUSTER/);
  });
});
