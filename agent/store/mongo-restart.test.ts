// A restart on records stored in a real MongoDB-wire server (FerretDB v1 from the harness): the
// agent's first reads (single objects' previous records, a full run, an API page) are answered
// after ONE full read of the records, never id by id (on FerretDB a read of a few ids scans the
// collection: a restart's stream of single objects once held its first full run for minutes);
// writes made while that read runs win over what it returns; and the schema migration runs once
// per database, not at every start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { ferretStores } from '../../test/kit/ferret-stores.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { ResilientStore } from './resilient.ts';
import type { Store } from './store.ts';

const NOW = '2026-01-01T12:00:00.000Z';
const LATER = '2026-01-01T12:01:00.000Z';
const N = 1500;

const inSync = (i: number): DriftRecord =>
  transition(null, result(`cm-${i}`, [], 'app', 'ConfigMap'), NOW).record;

/** Counts each kind of record read that reaches the database. */
function counting(store: Store): { store: Store; reads: Record<string, number> } {
  const reads: Record<string, number> = { allRecords: 0, getRecords: 0, getRecord: 0, listRecords: 0 };
  const wrapped = Object.create(store) as Store;
  wrapped.allRecords = async () => (reads['allRecords']!++, store.allRecords());
  wrapped.getRecords = async (ids) => (reads['getRecords']!++, store.getRecords(ids));
  wrapped.getRecord = async (id) => (reads['getRecord']!++, store.getRecord(id));
  wrapped.listRecords = async (q) => (reads['listRecords']!++, store.listRecords(q));
  return { store: wrapped, reads };
}

describe('MongoStore restart (FerretDB)', () => {
  const { open, database, uri } = ferretStores();

  /** A database holding N in-sync records, written by a first agent that is gone. */
  async function stored(): Promise<{ name: string; records: DriftRecord[] }> {
    const name = database('restart');
    const first = open(name);
    await first.init();
    const records = Array.from({ length: N }, (_, i) => inSync(i));
    await first.saveRecords(records.map((record) => ({ record, event: null })));
    await first.close();
    return { name, records };
  }

  it('the first reads after a restart wait for one full read; none goes id by id', async () => {
    const { name, records } = await stored();
    const inner = open(name);
    await inner.init();
    const { store, reads } = counting(inner);
    const s = new ResilientStore(store);
    s.preload();
    // What a restart asks at once: single objects' previous records (a batch each), one record,
    // an API page, then the first full run's records.
    const singles = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.getRecords([records[i * 7]!.resource_id, 'ConfigMap:app:none'])),
    );
    for (const [i, got] of singles.entries())
      assert.deepEqual([...got.keys()], [records[i * 7]!.resource_id]);
    assert.equal((await s.getRecord(records[3]!.resource_id))?.resource_id, records[3]!.resource_id);
    assert.equal((await s.listRecords({ limit: 10 })).count, N);
    const all = await s.allRecords();
    assert.equal(all.length, N);
    assert.deepEqual(
      all.map((r) => r.resource_id),
      records.map((r) => r.resource_id).sort(),
    );
    assert.deepEqual(reads, { allRecords: 1, getRecords: 0, getRecord: 0, listRecords: 0 });
    await s.close();
  });

  it('without preload, the first single read fills the cache with one full read too', async () => {
    const { name, records } = await stored();
    const inner = open(name);
    await inner.init();
    const { store, reads } = counting(inner);
    const s = new ResilientStore(store);
    const got = await s.getRecords([records[1]!.resource_id]);
    assert.equal(got.size, 1);
    await s.getRecords(records.slice(0, 300).map((r) => r.resource_id));
    assert.deepEqual(reads, { allRecords: 1, getRecords: 0, getRecord: 0, listRecords: 0 });
    await s.close();
  });

  it('writes made while the full read runs win over what it read', async () => {
    const { name, records } = await stored();
    const inner = open(name);
    await inner.init();
    const s = new ResilientStore(inner);
    s.preload();
    const changed = transition(records[5]!, result('cm-5', [scalingDetail(1, 2)], 'app', 'ConfigMap'), LATER);
    const gone = records[6]!.resource_id;
    try {
      await Promise.all([s.saveRecord(changed.record, changed.event), s.deleteRecord(gone)]);
      const all = new Map((await s.allRecords()).map((r) => [r.resource_id, r]));
      assert.equal(all.size, N - 1);
      assert.equal(all.get(changed.record.resource_id)?.drift_status, 'active');
      assert.equal(all.has(gone), false);
      assert.equal((await s.getRecord(gone)) ?? null, null);
    } finally {
      await s.close();
    }
    // And the database holds them too (the next restart reads the same).
    const again = open(name);
    try {
      await again.init();
      assert.equal((await again.getRecord(changed.record.resource_id))?.drift_status, 'active');
      assert.equal(await again.getRecord(gone), null);
    } finally {
      await again.close();
    }
  });

  it('a few ids read by _id (not one scan) return what a batch read returns', async () => {
    const { name, records } = await stored();
    const s = open(name);
    await s.init();
    const few = records.slice(10, 15).map((r) => r.resource_id);
    const many = records.slice(0, 200).map((r) => r.resource_id);
    const a = await s.getRecords([...few, 'ConfigMap:app:none']);
    const b = await s.getRecords(many);
    assert.deepEqual([...a.keys()].sort(), few.sort());
    for (const id of few) assert.deepEqual(a.get(id), b.get(id));
    await s.close();
  });

  it('migrates a database once: a later start does not rewrite the records', async () => {
    const name = database('migrate');
    const client = new MongoClient(uri(), { serverSelectionTimeoutMS: 5000 });
    try {
      const docs = client
        .db(name)
        .collection<{ _id: string; resource_id: string; cluster?: string }>('drift_records');
      // A record as an agent from before clusters had names wrote it.
      await docs.insertOne({ _id: 'old', resource_id: 'ConfigMap:app:old' });
      const first = open(name);
      await first.init();
      await first.close();
      assert.equal((await docs.findOne({ _id: 'old' }))?.cluster, 'default', 'migrated');
      // Written after the migration without a cluster: a start that migrated again would set it.
      await docs.insertOne({ _id: 'later', resource_id: 'ConfigMap:app:later' });
      const second = open(name);
      await second.init();
      await second.close();
      assert.equal((await docs.findOne({ _id: 'later' }))?.cluster, undefined, 'not migrated again');
    } finally {
      await client.db(name).dropDatabase();
      await client.close();
    }
  });
});
