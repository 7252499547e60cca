import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriftRecord } from '../../../shared/types.ts';
import { applyPress } from '../state/input.ts';
import { initialState, type ViewFacts } from '../state/ui-state.ts';
import { recordDetailLines } from './detail.ts';
import { ignoreProposalLines } from './ignore.ts';

const record = {
  resource_id: 'Deployment:shop:web',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  api_version: 'apps/v1',
  source_file: 'web.yaml',
  drift_status: 'active',
  drift_details: [
    {
      path: 'spec.replicas',
      type: 'Scaling',
      severity: 'medium',
      desired: 2,
      live: 5,
      manager: 'kubectl-scale',
      changed_at: null,
    },
    {
      path: 'metadata.labels.team',
      type: 'LabelChange',
      severity: 'low',
      desired: 'a',
      live: 'b',
      manager: 'kubectl-label',
      changed_at: null,
    },
  ],
} as unknown as DriftRecord;

const facts: ViewFacts = {
  listLength: 1,
  selectedId: record.resource_id,
  choices: [null],
  detailLength: 40,
  pageSize: 10,
};

test('i on the detail page asks for an ignore rule for that record; elsewhere it does nothing', () => {
  const opened = applyPress(initialState(), { input: '', return: true }, facts).state;
  assert.deepEqual(applyPress(opened, { input: 'i' }, facts).effects, [{ ignore: record.resource_id }]);
  assert.deepEqual(applyPress(initialState(), { input: 'i' }, facts).effects, []);
});

test('the proposal is for the drifted field at the top of the screen', () => {
  const lines = recordDetailLines(record, [], 200);
  const second = lines.findIndex((l) => l.text === 'metadata.labels.team');
  const top = ignoreProposalLines(record, lines, [record], 200).map((l) => l.text);
  assert.ok(top.includes('  path: spec.replicas'), top.join('\n'));
  const scrolled = ignoreProposalLines(record, lines.slice(second), [record], 200).map((l) => l.text);
  assert.ok(scrolled.includes('  path: metadata.labels.team'), scrolled.join('\n'));
  assert.ok(scrolled.includes('      driftguard.io/ignore-fields: "metadata.labels.team"'));
});
