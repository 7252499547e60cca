// Records written behind (a first start's inserts) on the real embedded store: they go to the
// database a slice at a time, a transition written meanwhile waits for one slice at most and
// wins over the pending version of its record, and close() leaves the rest (never announced)
// instead of holding the shutdown, and the next start, for the whole backlog.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { BEHIND_SLICE, ResilientStore } from './resilient.ts';
import { SqliteStore } from './sqlite.ts';
import type { RecordWrite, Store } from './store.ts';

const NOW = '2026-01-01T12:00:00.000Z';
const LATER = '2026-01-01T12:01:00.000Z';
const N = 4 * BEHIND_SLICE;

const inSync = (i: number): DriftRecord =>
  transition(null, result(`cm-${i}`, [], 'app', 'ConfigMap'), NOW).record;

/** The real store, noting how many records had reached it when each write call began. */
function noting(store: Store): { store: Store; written: () => number; calls: number[][] } {
  let written = 0;
  const calls: number[][] = [];
  const wrapped = Object.create(store) as Store;
  wrapped.saveRecords = async (writes: readonly RecordWrite[]) => {
    calls.push([written, writes.length]);
    await store.saveRecords(writes);
    written += writes.length;
  };
  return { store: wrapped, written: () => written, calls };
}

describe('ResilientStore: records written behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-behind-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('go a slice at a time; a transition waits for one slice at most and wins over its pending record', async () => {
    const path = join(dir, 'a.db');
    const inner = new SqliteStore({ path });
    await inner.init();
    const { store, written, calls } = noting(inner);
    const s = new ResilientStore(store);
    assert.equal((await s.allRecords()).length, 0);
    s.saveRecordsBehind(Array.from({ length: N }, (_, i) => ({ record: inSync(i), event: null })));
    const last = inSync(N - 1);
    const drifted = transition(last, result(`cm-${N - 1}`, [scalingDetail(1, 2)], 'app', 'ConfigMap'), LATER);
    assert.ok(drifted.event, 'a transition');
    await s.saveRecord(drifted.record, drifted.event);
    const before = calls.find(([, n]) => n === 1)?.[0];
    assert.ok(
      before !== undefined && before <= BEHIND_SLICE,
      `${before} records written before the transition`,
    );
    assert.ok(written() < N);
    assert.ok(s.behindWrites() > 0, 'the rest still behind');
    // Reads see every record at once, the transition's in place of its pending one.
    assert.equal((await s.allRecords()).length, N);
    assert.equal((await s.getRecord(last.resource_id))?.drift_status, 'active');
    while (s.behindWrites() > 0) await new Promise((r) => setImmediate(r));
    await s.close();
    assert.ok(
      calls.every(([, n]) => n! <= BEHIND_SLICE),
      'no call larger than a slice',
    );
    const reopened = new SqliteStore({ path });
    await reopened.init();
    assert.equal((await reopened.allRecords()).length, N);
    assert.equal((await reopened.getRecord(last.resource_id))?.drift_status, 'active', 'not overwritten');
    await reopened.close();
  });

  it('held (a full run computing), the lane writes nothing; a transition still goes; released, all go', async () => {
    const path = join(dir, 'c.db');
    const inner = new SqliteStore({ path });
    await inner.init();
    const { store, written, calls } = noting(inner);
    const s = new ResilientStore(store);
    await s.allRecords();
    const release = s.holdBehind();
    const second = s.holdBehind();
    s.saveRecordsBehind(Array.from({ length: N }, (_, i) => ({ record: inSync(i), event: null })));
    const drifted = transition(inSync(0), result('cm-0', [scalingDetail(1, 2)], 'app', 'ConfigMap'), LATER);
    await s.saveRecord(drifted.record, drifted.event);
    // Turns of the event loop in which an unheld lane would have written slices.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, [[0, 1]], 'only the transition reached the database');
    assert.equal(s.behindWrites(), N - 1);
    release();
    release();
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.equal(written(), 1, 'still held by the second hold');
    second();
    while (s.behindWrites() > 0) await new Promise((r) => setImmediate(r));
    await s.close();
    const reopened = new SqliteStore({ path });
    await reopened.init();
    assert.equal((await reopened.allRecords()).length, N);
    assert.equal((await reopened.getRecord(drifted.record.resource_id))?.drift_status, 'active');
    await reopened.close();
  });

  it('a first full read that fails is said once, and the reads joined to it go to the database', async () => {
    const inner = new SqliteStore({ path: join(dir, 'c.db') });
    await inner.init();
    const stored = inSync(1);
    await inner.saveRecords([{ record: stored, event: null }]);
    let failures = 1;
    const flaky = Object.create(inner) as Store;
    flaky.allRecords = async () => {
      if (failures-- > 0) throw new Error('connection reset');
      return inner.allRecords();
    };
    const errors: string[] = [];
    const s = new ResilientStore(flaky, { onError: (err, op) => errors.push(`${op}: ${err.message}`) });
    await s.init();
    const [one, many] = await Promise.all([
      s.getRecord(stored.resource_id),
      s.getRecords([stored.resource_id, 'ConfigMap:app:none']),
    ]);
    assert.deepEqual(errors, ['read:allRecords: connection reset']);
    assert.equal(one?.resource_id, stored.resource_id);
    assert.deepEqual([...many.keys()], [stored.resource_id]);
    await s.close();
  });

  it('close leaves what is still behind after the slice in flight, and says so', async () => {
    const path = join(dir, 'b.db');
    const inner = new SqliteStore({ path });
    await inner.init();
    const errors: string[] = [];
    const s = new ResilientStore(inner, { onError: (err, op) => errors.push(`${op}: ${err.message}`) });
    await s.allRecords();
    s.saveRecordsBehind(Array.from({ length: N }, (_, i) => ({ record: inSync(i), event: null })));
    await s.close();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^close: \d+ record\(s\) written behind were not yet stored/);
    const reopened = new SqliteStore({ path });
    await reopened.init();
    const stored = (await reopened.allRecords()).length;
    assert.ok(stored < N && stored % BEHIND_SLICE === 0, `${stored} stored: whole slices only`);
    await reopened.close();
  });
});
