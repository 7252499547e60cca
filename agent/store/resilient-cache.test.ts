// The ResilientStore as the agent's one copy of its records: once a full read has filled the cache
// it answers record reads without the database while this process is the only writer; a follower
// (another process writes) reads the database, and on becoming the writer refills before trusting
// the cache. On the real embedded store, with a second store on the same file as the other writer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DriftDetail } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { ResilientStore } from './resilient.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

const NOW = '2026-01-01T12:00:00.000Z';

function record(name: string, ...details: DriftDetail[]) {
  return transition(null, result(name, details, 'app', 'ConfigMap'), NOW).record;
}

/** Counts the record reads that reach the database. */
function counting(store: Store): { store: Store; reads: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.allRecords = async () => (n++, store.allRecords());
  wrapped.getRecords = async (ids) => (n++, store.getRecords(ids));
  wrapped.getRecord = async (id) => (n++, store.getRecord(id));
  wrapped.listRecords = async (q) => (n++, store.listRecords(q));
  return { store: wrapped, reads: () => n };
}

describe('ResilientStore record cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers reads from memory after one full read while it is the only writer', async () => {
    const inner = new SqliteStore({ path: join(dir, 'a.db') });
    await inner.init();
    await inner.saveRecord(record('one'), null);
    const { store, reads } = counting(inner);
    const loaded: number[] = [];
    const s = new ResilientStore(store, { onLoaded: (records) => loaded.push(records) });
    assert.equal((await s.allRecords()).length, 1);
    assert.deepEqual(loaded, [1], 'the full read is told once, with its record count');
    const before = reads();
    await s.saveRecord(record('two'), null);
    assert.deepEqual(
      (await s.allRecords()).map((r) => r.resource_id),
      ['ConfigMap:app:one', 'ConfigMap:app:two'],
    );
    assert.equal((await s.getRecords(['ConfigMap:app:two', 'ConfigMap:app:x'])).size, 1);
    assert.equal((await s.getRecord('ConfigMap:app:one'))?.resource_id, 'ConfigMap:app:one');
    assert.equal(reads(), before, 'no read reached the database');
    assert.deepEqual(loaded, [1], 'no second full read');
    await s.close();
  });

  it('a follower reads what another writer wrote; becoming the writer refills first', async () => {
    const path = join(dir, 'b.db');
    const leader = new SqliteStore({ path });
    await leader.init();
    const follower = new ResilientStore(new SqliteStore({ path }));
    await follower.init();
    follower.setExclusive(false);
    assert.equal((await follower.allRecords()).length, 0);
    await leader.saveRecord(record('by-leader'), null);
    assert.equal((await follower.allRecords()).length, 1, 'not answered from a stale cache');
    await leader.saveRecord(record('later'), null);
    follower.setExclusive(true);
    assert.equal((await follower.allRecords()).length, 2, 'refilled from the database on taking over');
    assert.ok(await follower.getRecord('ConfigMap:app:later'));
    await follower.close();
    await leader.close();
  });

  it('lists from memory exactly as the database does, and revises on every write', async () => {
    const inner = new SqliteStore({ path: join(dir, 'c.db') });
    await inner.init();
    const { store, reads } = counting(inner);
    const s = new ResilientStore(store);
    assert.equal(s.revision(), null, 'nothing known before a full read');
    await s.allRecords();
    const r0 = s.revision();
    assert.notEqual(r0, null);
    for (let i = 0; i < 30; i++) {
      const details = i % 3 === 0 ? [scalingDetail(1, 2)] : i % 3 === 1 ? [imageDetail('a:1', 'a:2')] : [];
      await s.saveRecord(record(`r${String(i).padStart(2, '0')}`, ...details), null);
    }
    assert.notEqual(s.revision(), r0);
    const queries = [
      {},
      { limit: 5, offset: 3 },
      { drift_status: 'active' as const },
      { type: 'Scaling' as const, limit: 4 },
      { severity: 'high' as const },
      { drift_detected: false },
      { namespace: 'app', kind: 'ConfigMap', offset: 25 },
      { source: 'default' },
      { limit: 0 },
    ];
    const before = reads();
    const fromMemory = [];
    for (const q of queries) fromMemory.push(await s.listRecords(q));
    assert.equal(reads(), before, 'no list reached the database');
    for (const [i, q] of queries.entries()) assert.deepEqual(fromMemory[i], await inner.listRecords(q));
    await assert.rejects(() => s.listRecords({ limit: -1 }), RangeError);
    await s.close();
  });
});
