// Sharing the strings of a kept live object changes which copy of a string its fields point at,
// never a field, a value or their order (what it saves: `npm run bench -- held`, the live view).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../shared/types.ts';
import { fixtureCases, liveObjects, TESTDATA } from '../../test/engine/testdata/fixtures.ts';
import { liveProjection } from './live-state.ts';
import { withSharedStrings } from './share-strings.ts';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every object key in document order, at any depth, as one list of paths. */
function keyOrder(v: unknown, at = ''): string[] {
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, child]) => [`${at}.${k}`, ...keyOrder(child, `${at}.${k}`)]);
}

describe('withSharedStrings', () => {
  const live = fixtureCases().flatMap((name) => liveObjects(join(TESTDATA, name, 'live.yaml')));

  it('keeps every field, value and key order of the fixtures’ live objects', () => {
    assert.ok(live.length > 20, `fixtures read: ${live.length}`);
    for (const obj of live) {
      const shared = withSharedStrings(copy(obj));
      assert.deepEqual(shared, obj);
      assert.deepEqual(keyOrder(shared), keyOrder(obj));
    }
  });

  it('the projection keeps the order of the fields it keeps, in metadata and managedFields too', () => {
    for (const obj of live) {
      const { status: _status, ...kept } = copy(obj);
      const projected = liveProjection(copy(obj));
      const order = keyOrder(projected).filter(
        (p) => !p.startsWith('.metadata.managedFields.') || !p.includes('.fieldsV1'),
      );
      const expected = keyOrder(kept).filter(
        (p) =>
          (!p.startsWith('.metadata.managedFields.') || !p.includes('.fieldsV1')) &&
          !p.startsWith('.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration'),
      );
      assert.deepEqual(order, expected, String(obj.metadata['name']));
    }
  });

  it('leaves a frozen object as it is', () => {
    const frozen = Object.freeze(copy(live[0] as KubeObject));
    assert.equal(withSharedStrings(frozen), frozen);
  });
});
