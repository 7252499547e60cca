// compactRecord changes which copy of a string a record's fields point at, never a value: a record
// read back from a database and compacted is the record that was written, in every lifecycle
// state. (What it saves is measured by the held-state bench: `npm run bench -- held`.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { StringPool } from '../memory/string-pool.ts';
import { compactRecord } from './compact-record.ts';

const T0 = '2026-01-01T12:00:00.000Z';
const T1 = '2026-01-01T12:05:00.000Z';
const T2 = '2026-01-01T12:10:00.000Z';

/** A record in each state: in sync, drifting, resolved, and in sync again after a resolution. */
function lifecycle(name: string): DriftRecord[] {
  const clean = transition(null, result(name, [], 'app', 'ConfigMap'), T0).record;
  const drifting = transition(
    clean,
    result(name, [scalingDetail(3, 5), imageDetail('nginx:1.27', 'nginx:1.28')], 'app', 'ConfigMap'),
    T1,
  ).record;
  const resolved = transition(drifting, result(name, [], 'app', 'ConfigMap'), T2).record;
  const again = transition(resolved, result(name, [], 'app', 'ConfigMap'), T2).record;
  return [clean, drifting, resolved, { ...again, verdict_key: `v2:0123456789abcdef|uid@42` }];
}

/** As a database hands it back: a copy sharing nothing with what was written. */
const readBack = (r: DriftRecord): DriftRecord => JSON.parse(JSON.stringify(r)) as DriftRecord;

describe('compactRecord', () => {
  it('keeps every value of a record in every state', () => {
    const pool = new StringPool();
    for (const written of [...lifecycle('web'), ...lifecycle('api')]) {
      const copy = readBack(written);
      assert.equal(compactRecord(copy, pool), copy, 'compacted in place');
      assert.deepEqual(copy, readBack(written));
      assert.equal(JSON.stringify(copy), JSON.stringify(written), 'same fields in the same order');
    }
  });

  it('shares one frozen empty list of details and leaves a drift its own', () => {
    const pool = new StringPool();
    const [clean, drifting] = lifecycle('web')
      .map(readBack)
      .map((r) => compactRecord(r, pool));
    const [other] = lifecycle('api')
      .map(readBack)
      .map((r) => compactRecord(r, pool));
    assert.ok(clean && drifting && other);
    assert.equal(clean.drift_details, other.drift_details);
    assert.ok(Object.isFrozen(clean.drift_details));
    assert.equal(drifting.drift_details.length, 2);
    assert.ok(!Object.isFrozen(drifting.drift_details));
  });

  it('leaves a frozen record as it is', () => {
    const frozen = Object.freeze(readBack(lifecycle('web')[0] as DriftRecord));
    assert.equal(compactRecord(frozen, new StringPool()), frozen);
  });
});
