import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED } from '../../shared/engine/index.ts';
import type { DriftDetail } from '../../shared/types.ts';
import { describeDrift, fieldName, formatValue, resolutionMessage } from './wording.ts';
import { imageDetail, scalingDetail } from '../../test/records/details.ts';

describe('wording', () => {
  it('names fields by their last segment, keeping a list selector', () => {
    assert.equal(fieldName('spec.replicas'), 'replicas');
    assert.equal(fieldName('spec.template.spec.containers[name=web].image'), 'containers[name=web].image');
    assert.equal(fieldName('metadata'), 'metadata');
  });

  it('formats values: bare strings, absent, cut long JSON', () => {
    assert.equal(formatValue('nginx:1.25'), 'nginx:1.25');
    // Absent is null (issue 10, item 7): one spelling in every view.
    assert.equal(formatValue(undefined), 'null');
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue({ a: 'x'.repeat(100) }).length, 40);
  });

  it('says how each field came back, with the manager who drifted it', () => {
    assert.equal(resolutionMessage([scalingDetail(3, 5)]), 'replicas back to 3 (was 5 by kubectl-scale)');
    assert.equal(resolutionMessage([scalingDetail(3, 5, null)]), 'replicas back to 3 (was 5)');
    const added: DriftDetail = {
      path: 'metadata.labels.team',
      type: 'LabelChange',
      severity: 'low',
      desired: undefined,
      live: 'ops',
      manager: 'kubectl-label',
      changed_at: null,
    };
    assert.equal(resolutionMessage([added]), 'team removed (was ops by kubectl-label)');
    // The engine spells the absent side null, and so does a record read back from a store.
    assert.equal(resolutionMessage([{ ...added, desired: null }]), 'team removed (was ops by kubectl-label)');
    assert.equal(
      resolutionMessage([{ ...added, desired: 'ops', live: null }]),
      'team back to ops (was removed by kubectl-label)',
    );
    const missing: DriftDetail = {
      path: '',
      type: 'Missing',
      severity: 'high',
      desired: null,
      live: undefined,
      manager: null,
      changed_at: null,
    };
    assert.equal(resolutionMessage([missing]), 'present in the cluster again');
    assert.equal(resolutionMessage([]), 'back in sync with Git');
    const secret: DriftDetail = {
      path: 'data.password',
      type: 'SecretChange',
      severity: 'high',
      desired: REDACTED,
      live: REDACTED,
      manager: 'kubectl-edit',
      changed_at: null,
    };
    assert.equal(resolutionMessage([secret]), 'password back in sync (changed by kubectl-edit)');
  });

  it('keeps long lists to three fields', () => {
    const many = [
      scalingDetail(1, 2),
      scalingDetail(1, 3),
      scalingDetail(1, 4),
      imageDetail('a', 'b'),
      imageDetail('c', 'd'),
    ];
    assert.match(resolutionMessage(many), /; … and 2 more$/);
  });

  it('describes a drift with the engine summary and the manager', () => {
    assert.equal(
      describeDrift(imageDetail('nginx:1.25', 'nginx:1.26')),
      'image nginx:1.25 → nginx:1.26 (kubectl-set)',
    );
    assert.equal(describeDrift(scalingDetail(3, 5, null)), 'replicas 3 → 5');
  });
});
