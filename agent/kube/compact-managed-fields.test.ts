// managedFields held once: objects with the same FieldsV1 tree share one frozen copy, the status
// part goes, and every entry keeps what the engine reads of it (order, manager, operation,
// subresource, time, the other fields).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManagedFields } from '../../shared/engine/index.ts';
import type { JsonObject, KubeObject } from '../../shared/types.ts';
import { compactManagedFields } from './compact-managed-fields.ts';

const applied = (): JsonObject => ({
  manager: 'argocd-controller',
  operation: 'Apply',
  apiVersion: 'apps/v1',
  time: '2026-12-06T10:00:00Z',
  fieldsType: 'FieldsV1',
  fieldsV1: {
    'f:spec': {
      'f:replicas': {},
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } } } },
    },
  },
});
const status = (time: string): JsonObject => ({
  manager: 'kube-controller-manager',
  operation: 'Update',
  apiVersion: 'apps/v1',
  time,
  fieldsType: 'FieldsV1',
  subresource: 'status',
  fieldsV1: {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
    'f:status': { 'f:replicas': {}, 'f:conditions': { '.': {} } },
  },
});

describe('compactManagedFields', () => {
  it('keeps every entry and field but the status part of a tree', () => {
    const list = [applied(), status('2026-12-06T10:00:01Z')];
    const compact = compactManagedFields(structuredClone(list)) as JsonObject[];
    assert.deepEqual(compact[0], list[0]);
    const { 'f:status': _gone, ...kept } = list[1]?.['fieldsV1'] as JsonObject;
    assert.deepEqual(compact[1], { ...list[1], fieldsV1: kept });
    const live = (mf: unknown) =>
      ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { managedFields: mf } }) as KubeObject;
    const whole = parseManagedFields(live(list));
    const read = parseManagedFields(live(compact));
    assert.deepEqual(
      read.map(({ fields: _f, ...e }) => e),
      whole.map(({ fields: _f, ...e }) => e),
      'manager, operation, subresource and time read as from the object',
    );
  });

  it('holds one frozen copy of a tree that many objects carry', () => {
    const a = compactManagedFields([applied(), status('2026-12-06T10:00:01Z')]) as JsonObject[];
    const b = compactManagedFields([applied(), status('2026-12-06T10:07:00Z')]) as JsonObject[];
    assert.equal(a[0]?.['fieldsV1'], b[0]?.['fieldsV1'], 'the applier tree is shared');
    assert.equal(a[1]?.['fieldsV1'], b[1]?.['fieldsV1'], 'the status writer tree is shared');
    assert.notEqual(a[1]?.['time'], undefined);
    assert.equal(b[1]?.['time'], '2026-12-06T10:07:00Z', 'each entry keeps its own time');
    const tree = a[0]?.['fieldsV1'] as JsonObject;
    assert.ok(Object.isFrozen(tree) && Object.isFrozen(tree['f:spec']), 'shared, so frozen all the way down');
    assert.throws(() => {
      (tree['f:spec'] as JsonObject)['f:paused'] = {};
    }, TypeError);
  });

  it("tells a writer's next tree from its last one, however small the difference", () => {
    const tree = (extra: JsonObject): JsonObject => ({
      ...applied(),
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': extra } } },
    });
    const variants: JsonObject[] = [
      {},
      { 'f:containers': {} },
      { 'f:containers': { 'k:{"name":"app"}': {} } },
      { 'f:containers': { 'k:{"name":"web"}': {} } },
      { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } },
      { 'f:containers': {}, 'f:volumes': {} },
    ];
    // Each after each: a shared tree is only ever the same fields.
    for (const a of variants)
      for (const b of variants) {
        compactManagedFields([tree(a)], 'Deployment');
        const got = compactManagedFields([tree(b)], 'Deployment') as JsonObject[];
        assert.deepEqual(
          got[0]?.['fieldsV1'],
          tree(b)['fieldsV1'],
          `${JSON.stringify(a)} then ${JSON.stringify(b)}`,
        );
      }
  });

  it('leaves what is not a list of entries as it came', () => {
    assert.equal(compactManagedFields(undefined), undefined);
    assert.equal(compactManagedFields('x'), 'x');
    assert.deepEqual(compactManagedFields([1, { manager: 'm' }]), [1, { manager: 'm' }]);
  });
});
