// ResilientStore through a real database outage: FerretDB is stopped while the agent keeps writing
// transitions, then restarted on the same port and data directory; every write must arrive.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DriftEvent, DriftRecord, DriftResult, LastAnalysis } from '../../shared/types.ts';
import { startFerretDB, type FerretDB } from '../../test/cluster/ferretdb.ts';
import { freePort } from '../../test/cluster/ports.ts';
import { transition } from '../records/lifecycle.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { MongoStore } from './mongo.ts';
import { ResilientStore, StoreUnavailableError } from './resilient.ts';
import { untilTrue } from '../../test/kit/poll.ts';

const T = (m: number): string => new Date(Date.UTC(2026, 0, 1, 12, m)).toISOString();

describe('ResilientStore over FerretDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-resilient-'));
  let server: FerretDB | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues writes during an outage and writes every one when the database returns', async () => {
    const port = await freePort();
    server = await startFerretDB({ port, dir });
    const errors: string[] = [];
    const recovered: number[] = [];
    const inner = new MongoStore({ uri: server.uri, name: 'resilient', connectTimeoutMs: 1000 });
    const store = new ResilientStore(inner, {
      onError: (_err, op) => errors.push(op),
      onRecovered: (n) => recovered.push(n),
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
    });
    await store.init();

    // Before the outage: three resources, one drifting.
    const records = new Map<string, DriftRecord>();
    const events: DriftEvent[] = [];
    const apply = async (verdict: DriftResult, time: string): Promise<void> => {
      const prev = (await store.getRecords([verdict.resource_id])).get(verdict.resource_id) ?? null;
      const out = transition(prev, verdict, time);
      records.set(out.record.resource_id, out.record);
      if (out.event) events.push(out.event);
      await store.saveRecord(out.record, out.event);
    };
    await apply(result('web', [scalingDetail(3, 5)]), T(0));
    await apply(result('api'), T(0));
    await apply(result('gone'), T(0));
    assert.equal((await store.allRecords()).length, 3);

    await server.stop();
    server = undefined;

    // During the outage: resolve, detect, update, delete, and record the analysis.
    await apply(result('web'), T(1));
    assert.equal(store.pendingWrites(), 1);
    assert.equal(await store.ping(), false);
    await apply(result('api', [imageDetail('a:1', 'a:2')]), T(2));
    await apply(result('api', [imageDetail('a:1', 'a:3')]), T(3));
    await apply(result('api', [imageDetail('a:1', 'a:3')]), T(4)); // no event: merges
    await apply(result('new', [scalingDetail(1, 2)]), T(4));
    // A full run's batch during the outage is queued write by write and replayed like the rest.
    const batch = [
      transition(null, result('batch-a', [scalingDetail(1, 3)]), T(4)),
      transition(null, result('batch-b'), T(4)),
    ];
    for (const out of batch) {
      records.set(out.record.resource_id, out.record);
      if (out.event) events.push(out.event);
    }
    await store.saveRecords(batch);
    await store.deleteRecord('Deployment:default:gone');
    records.delete('Deployment:default:gone');
    const analysis: LastAnalysis = {
      started_at: T(4),
      finished_at: T(5),
      duration_seconds: 60,
      resources: 3,
      git_commit: 'abc',
    };
    await store.saveLastAnalysis(analysis);

    assert.ok(store.pendingWrites() > 0);
    assert.ok(errors.includes('saveRecord'), `errors: ${errors.join(', ')}`);
    // Reads the queue and the known records can answer still work; the others fail clearly.
    assert.equal((await store.getRecord('Deployment:default:api'))?.drift_details[0]?.live, 'a:3');
    assert.equal(await store.getRecord('Deployment:default:gone'), null);
    assert.deepEqual(await store.lastAnalysis(), analysis);
    assert.equal((await store.allRecords()).length, 5);
    // Lists come from the one in-memory copy (exact: this process is the only writer), queued writes included.
    const listed = await store.listRecords({ drift_status: 'active' });
    assert.deepEqual(
      listed.records.map((r) => r.resource_id),
      ['Deployment:default:api', 'Deployment:default:batch-a', 'Deployment:default:new'],
    );
    // Another cluster's records are only in the database.
    await assert.rejects(store.listRecords({ cluster: 'other' }), StoreUnavailableError);
    await assert.rejects(store.history('Deployment:default:web'), /store unavailable for history/);

    server = await startFerretDB({ port, dir });
    await untilTrue('queue written out', () => store.pendingWrites() === 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    assert.equal(recovered.length, 1);
    assert.equal(await store.ping(), true);

    // Read back through a separate client: every record and every event arrived.
    const check = new MongoStore({ uri: server.uri, name: 'resilient', connectTimeoutMs: 5000 });
    await check.init();
    try {
      const stored = await check.allRecords();
      assert.deepEqual(
        stored,
        JSON.parse(
          JSON.stringify([...records.values()].sort((a, b) => a.resource_id.localeCompare(b.resource_id))),
        ),
      );
      const storedEvents = await check.eventsSince(T(0));
      assert.deepEqual(storedEvents.map((e) => e.event_id).sort(), events.map((e) => e.event_id).sort());
      assert.deepEqual(storedEvents.map((e) => `${e.resource_id} ${e.event}`).sort(), [
        'Deployment:default:api detected',
        'Deployment:default:api updated',
        'Deployment:default:batch-a detected',
        'Deployment:default:new detected',
        'Deployment:default:web detected',
        'Deployment:default:web resolved',
      ]);
      assert.deepEqual(await check.lastAnalysis(), analysis);
      assert.equal((await store.listRecords({ drift_status: 'active' })).count, 3);
    } finally {
      await check.close();
      await store.close();
    }
  });

  it('starts while the database is down and initialises once it is up', async () => {
    const port = await freePort();
    const errors: string[] = [];
    const store = new ResilientStore(
      new MongoStore({
        uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
        name: 'late',
        connectTimeoutMs: 500,
      }),
      {
        onError: (_err, op) => errors.push(op),
        initialBackoffMs: 100,
        maxBackoffMs: 500,
      },
    );
    await store.init();
    assert.equal(await store.ping(), false);
    assert.deepEqual(errors.slice(0, 1), ['init']);
    const out = transition(null, result('web', [scalingDetail(3, 5)]), T(0));
    await store.saveRecord(out.record, out.event);
    const late = await startFerretDB({ port, dir: mkdtempSync(join(dir, 'late-')) });
    try {
      await untilTrue(
        'initialised and written',
        async () => store.pendingWrites() === 0 && (await store.ping()),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      assert.equal((await store.history('Deployment:default:web')).length, 1);
    } finally {
      await store.close();
      await late.stop();
    }
  });
});
