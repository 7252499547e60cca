// The store contract on the embedded store, on a real database file in a temp dir.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { result, scalingDetail } from '../../test/records/details.ts';
import { storeContract } from '../../test/kit/store-contract.ts';
import { transition } from '../records/lifecycle.ts';
import { SqliteStore } from './sqlite.ts';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-sqlite-'));
  // A nested path proves the directory is created.
  const path = join(dir, 'data', 'nested', 'driftguard.db');
  return {
    async open(cluster?: string) {
      const store = new SqliteStore(cluster === undefined ? { path } : { path, cluster });
      await store.init();
      return store;
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded store from before clusters had names', () => {
  it('rebuilds its tables with a cluster column, every row in the default cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftguard-sqlite-v1-'));
    try {
      const path = join(dir, 'driftguard.db');
      // The v1 layout (resource_id the only key), as a file written by an older agent holds it.
      const old = new DatabaseSync(path);
      old.exec(`
        CREATE TABLE drift_records (resource_id TEXT PRIMARY KEY, drift_status TEXT NOT NULL,
          namespace TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT, drift_type TEXT,
          drift_detected INTEGER NOT NULL, doc TEXT NOT NULL);
        CREATE INDEX drift_records_status ON drift_records (drift_status, resource_id);
        CREATE TABLE drift_events (event_id TEXT PRIMARY KEY, resource_id TEXT NOT NULL,
          time TEXT NOT NULL, doc TEXT NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, doc TEXT NOT NULL);`);
      const { record, event } = transition(
        null,
        result('web', [scalingDetail(2, 4)]),
        '2026-03-01T10:00:00.000Z',
      );
      const { cluster: _c, ...v1Record } = record;
      const { cluster: _e, ...v1Event } = event ?? record;
      old
        .prepare('INSERT INTO drift_records VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(
          record.resource_id,
          'active',
          'default',
          'Deployment',
          'medium',
          'Scaling',
          1,
          JSON.stringify(v1Record),
        );
      old
        .prepare('INSERT INTO drift_events VALUES (?, ?, ?, ?)')
        .run(event?.event_id ?? '', record.resource_id, event?.time ?? '', JSON.stringify(v1Event));
      old.close();

      const store = new SqliteStore({ path });
      await store.init();
      assert.deepEqual(await store.getRecord(record.resource_id), record);
      assert.deepEqual(await store.history(record.resource_id), [event]);
      assert.equal((await store.listRecords({ drift_status: 'active' })).count, 1);
      const other = new SqliteStore({ path, cluster: 'eu-west' });
      await other.init();
      assert.deepEqual(await other.allRecords(), []);
      await other.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded store batches', () => {
  it('writes a batch as one transaction: a write failing midway leaves none of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftguard-sqlite-batch-'));
    const store = new SqliteStore({ path: join(dir, 'driftguard.db') });
    try {
      await store.init();
      const good = (name: string) =>
        transition(null, result(name, [scalingDetail(1, 2)]), '2026-03-01T10:00:00Z');
      const bad = good('bad');
      // A value JSON cannot encode, as a real failure midway through the batch.
      (bad.record as unknown as Record<string, unknown>)['poison'] = 1n;
      await assert.rejects(() => store.saveRecords([good('a'), good('b'), bad, good('c')]), /BigInt/);
      assert.deepEqual(await store.allRecords(), []);
      assert.deepEqual(await store.eventsSince('2000-01-01T00:00:00Z'), []);
      await store.saveRecords([good('a'), good('b')]);
      assert.equal((await store.allRecords()).length, 2);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
