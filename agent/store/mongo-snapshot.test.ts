// The snapshot a clean stop keeps, on a real MongoDB-wire server (FerretDB v1 from the harness):
// the next start reads it instead of every record and gets what the records collection holds;
// a snapshot is taken once; and any record write after it, by its writer or by a writer that
// never read it, voids it, so a start never reads records older than the database's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ferretStores } from '../../test/kit/ferret-stores.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { MongoClient } from 'mongodb';
import { MongoSnapshots, type SnapshotDoc } from './record-snapshot.ts';
import { ResilientStore } from './resilient.ts';

const NOW = '2026-01-01T12:00:00.000Z';
const LATER = '2026-01-01T12:01:00.000Z';
const N = 1200;

const record = (i: number, at = NOW): DriftRecord =>
  transition(null, result(`cm-${i}`, i % 10 === 0 ? [scalingDetail(1, 2)] : [], 'app', 'ConfigMap'), at)
    .record;

describe('record snapshot (FerretDB)', () => {
  const { open, database, uri } = ferretStores();

  /** A start: the store as the agent wraps it, and where its full read came from. */
  async function start(name: string): Promise<{ s: ResilientStore; from: () => string | undefined }> {
    const inner = open(name);
    await inner.init();
    let from: string | undefined;
    const s = new ResilientStore(inner, { onLoaded: (_n, _ms, f) => (from = f) });
    return { s, from: () => from };
  }

  /** A database whose first agent stored N records and stopped cleanly, keeping the snapshot. */
  async function keptBy(): Promise<string> {
    const name = database('snapshot');
    const { s } = await start(name);
    await s.allRecords();
    await s.saveRecords(Array.from({ length: N }, (_, i) => ({ record: record(i), event: null })));
    assert.equal(await s.keepSnapshot(), N);
    await s.close();
    return name;
  }

  async function databaseRecords(name: string): Promise<DriftRecord[]> {
    const store = open(name);
    await store.init();
    try {
      return await store.allRecords();
    } finally {
      await store.close();
    }
  }

  it('the next start reads the snapshot and gets what the records collection holds', async () => {
    const name = await keptBy();
    const { s, from } = await start(name);
    try {
      const all = await s.allRecords();
      assert.equal(from(), 'snapshot');
      assert.deepEqual(all, await databaseRecords(name));
      assert.equal(all.length, N);
    } finally {
      await s.close();
    }
    // Taken once: a start after a start that kept none reads the records.
    const again = await start(name);
    await again.s.allRecords();
    assert.equal(again.from(), 'database');
    await again.s.close();
  });

  it('a write after the snapshot voids it: the next start reads the write', async () => {
    const name = await keptBy();
    const { s } = await start(name);
    await s.allRecords();
    assert.equal(await s.keepSnapshot(), N);
    const changed = transition(record(3), result('cm-3', [scalingDetail(1, 5)], 'app', 'ConfigMap'), LATER);
    await s.saveRecord(changed.record, changed.event);
    await s.close();
    const next = await start(name);
    try {
      const got = new Map((await next.s.allRecords()).map((r) => [r.resource_id, r]));
      assert.equal(next.from(), 'database');
      assert.equal(got.get(changed.record.resource_id)?.drift_status, 'active');
    } finally {
      await next.s.close();
    }
  });

  it('a writer that never read it voids it too, also one that wrote before and leads again', async () => {
    const name = await keptBy();
    // A store that writes without a full read (its first write deletes the marker).
    const blind = open(name);
    await blind.init();
    await blind.deleteRecord(record(4).resource_id);
    await blind.close();
    let next = await start(name);
    await next.s.allRecords();
    assert.equal(next.from(), 'database');
    await next.s.close();

    // A writer that wrote before another kept a snapshot, then leads again (setExclusive):
    // its next write deletes the marker although its store deleted it once already.
    const earlier = await start(name);
    await earlier.s.allRecords();
    await earlier.s.saveRecord(record(5, LATER), null);
    earlier.s.setExclusive(false);
    const other = await start(name);
    await other.s.allRecords();
    assert.equal(await other.s.keepSnapshot(), N - 1);
    await other.s.close();
    earlier.s.setExclusive(true);
    await earlier.s.deleteRecord(record(6).resource_id);
    await earlier.s.close();
    next = await start(name);
    try {
      const all = await next.s.allRecords();
      assert.equal(next.from(), 'database');
      assert.equal(all.length, N - 2);
    } finally {
      await next.s.close();
    }
  });

  it('a snapshot written under another schema version is not taken (a migration rewrote the records)', async () => {
    const name = await keptBy();
    const client = new MongoClient(uri(), { serverSelectionTimeoutMS: 5000 });
    try {
      const docs = client.db(name).collection<SnapshotDoc>('record_snapshots');
      assert.equal(await new MongoSnapshots(() => docs, 'default', 999).take(), null);
    } finally {
      await client.close();
    }
    const next = await start(name);
    await next.s.allRecords();
    assert.equal(next.from(), 'database', 'and it is gone: the next start reads the records');
    await next.s.close();
  });

  it('keeps none while records written behind are not stored, or another process may write', async () => {
    const name = await keptBy();
    const { s } = await start(name);
    await s.allRecords();
    const release = s.holdBehind();
    s.saveRecordsBehind([{ record: record(N + 1), event: null }]);
    assert.match(String(await s.keepSnapshot()), /written behind/);
    release();
    s.setExclusive(false);
    assert.match(String(await s.keepSnapshot()), /another process/);
    await s.close();
  });
});
