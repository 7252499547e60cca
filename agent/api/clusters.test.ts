// Several clusters in one database, as one agent's API serves them: `?cluster=*` lists every
// cluster's records, a cluster the database does not know is a 404 naming those it knows, and
// /api/v1/statistics counts each cluster with its last analysis and agent version, and one record
// and its history are read by `?cluster=NAME`. On the real
// embedded store (one file, three stores of three cluster names), served over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftHistory, DriftRecord, DriftRecordList, Statistics } from '../../shared/types.ts';
import { serveInProcess } from '../../test/api/in-process.ts';
import type { ApiFixture } from '../../test/api/suite.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { ClusterPublisher } from '../cluster-publisher.ts';
import { createLogger } from '../log.ts';
import { transition } from '../records/lifecycle.ts';
import { ResilientStore } from '../store/resilient.ts';
import { SqliteStore } from '../store/sqlite.ts';

const T0 = '2026-03-01T10:00:00.000Z';

describe('one view over several clusters (API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-clusters-'));
  const path = join(dir, 'shared.db');
  const stores: SqliteStore[] = [];
  let api: ApiFixture;
  const get = async (query: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${api.apiUrl}${query}`);
    return { status: res.status, body: await res.json() };
  };

  before(async () => {
    const open = async (cluster: string) => {
      const s = new SqliteStore({ path, cluster });
      await s.init();
      stores.push(s);
      return s;
    };
    const [east, west, north] = [await open('east'), await open('west'), await open('north')];
    const w = (cluster: string, name: string, details = [scalingDetail(2, 5)]) =>
      transition(null, result(name, details), T0, cluster);
    await east?.saveRecords([w('east', 'web'), w('east', 'api', [])]);
    await west?.saveRecords([w('west', 'web', [imageDetail('a:1', 'a:2')]), w('west', 'db')]);
    await north?.saveRecords([w('north', 'web', [])]);
    for (const [s, version] of [
      [east, '1.2.0'],
      [west, '1.3.0'],
    ] as const)
      await s?.saveLastAnalysis({
        started_at: T0,
        finished_at: T0,
        duration_seconds: 1,
        resources: 2,
        git_commit: null,
        agent_version: version,
      });
    // Each agent publishes its summary (north's has never analysed: no last analysis).
    const log = createLogger({ level: 'silent', format: 'json' });
    for (const [store, cluster, version] of [
      [east, 'east', '1.2.0'],
      [west, 'west', '1.3.0'],
      [north, 'north', '1.1.0'],
    ] as const)
      if (store) await new ClusterPublisher({ store, cluster, version, leading: () => true, log }).tick();
    // The agent of "east" serves them all.
    const served = new ResilientStore(new SqliteStore({ path, cluster: 'east' }), { exclusive: false });
    await served.init();
    api = await serveInProcess(served, { cleanup: () => served.close() });
  });
  after(async () => {
    await api?.close();
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('?cluster=* lists every cluster’s records, with filters', async () => {
    const all = await get('/api/v1/drift-records?cluster=*');
    assert.equal(all.status, 200);
    const list = all.body as DriftRecordList;
    assert.equal(list.count, 5);
    assert.deepEqual(list.drift_records.map((r) => r.cluster).sort(), [
      'east',
      'east',
      'north',
      'west',
      'west',
    ]);
    const active = (await get('/api/v1/drift-records/active?cluster=*')).body as DriftRecordList;
    assert.deepEqual(active.drift_records.map((r) => `${r.cluster}/${r.name}`).sort(), [
      'east/web',
      'west/db',
      'west/web',
    ]);
    const own = (await get('/api/v1/drift-records')).body as DriftRecordList;
    assert.deepEqual([...new Set(own.drift_records.map((r) => r.cluster))], ['east']);
  });

  it('a cluster the database does not know is a 404 naming the known ones; a known one may be empty', async () => {
    const unknown = await get('/api/v1/drift-records?cluster=sotuh');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, {
      error: 'no records for cluster sotuh in this database; known clusters: east, north, west',
    });
    const empty = await get('/api/v1/drift-records/active?cluster=north');
    assert.equal(empty.status, 200);
    assert.equal((empty.body as DriftRecordList).count, 0);
    const bad = await get('/api/v1/drift-records?cluster=*x');
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /a cluster name \(a DNS label\), or \* for every cluster/);
  });

  it('statistics count each cluster with its last analysis and agent version', async () => {
    const { statistics } = (await get('/api/v1/statistics')).body as { statistics: Statistics };
    assert.deepEqual(
      statistics.clusters.map((c) => [
        c.cluster,
        c.total_resources,
        c.active_drifts,
        c.by_severity,
        c.agent_version,
      ]),
      [
        ['east', 2, 1, { medium: 1 }, '1.2.0'],
        ['north', 1, 0, {}, '1.1.0'],
        ['west', 2, 2, { high: 1, medium: 1 }, '1.3.0'],
      ],
    );
    assert.equal(statistics.clusters[0]?.last_analysis?.resources, 2);
    assert.equal(statistics.clusters[1]?.last_analysis, null);
    // The top-level figures stay the agent's own cluster's.
    assert.equal(statistics.total_resources, 2);
  });

  it("the agent's own line is its figures of now; the others' what their agents last published", async () => {
    // The stand-in control, told which cluster it serves.
    Object.assign(api.control ?? {}, { cluster: () => 'east' });
    const east = stores[0];
    assert.ok(east);
    const more = transition(null, result('cache', [scalingDetail(1, 3)]), T0, 'east');
    await east.saveRecords([more]);
    const { statistics } = (await get('/api/v1/statistics')).body as { statistics: Statistics };
    const own = statistics.clusters.find((c) => c.cluster === 'east');
    assert.deepEqual(
      [own?.total_resources, own?.active_drifts, statistics.total_resources, statistics.active_drifts],
      [3, 2, 3, 2],
    );
    assert.equal(statistics.clusters.find((c) => c.cluster === 'west')?.total_resources, 2);
  });

  it("reads another cluster's record and history by ?cluster=NAME; its desired state only its agent serves", async () => {
    Object.assign(api.control ?? {}, { cluster: () => 'east' });
    const id = encodeURIComponent('Deployment:default:web');
    const west = await get(`/api/v1/drift-records/${id}?cluster=west`);
    assert.equal(west.status, 200);
    assert.deepEqual(
      [(west.body as DriftRecord).cluster, (west.body as DriftRecord).drift_type],
      ['west', 'VersionChange'],
    );
    const own = (await get(`/api/v1/drift-records/${id}`)).body as DriftRecord;
    const named = (await get(`/api/v1/drift-records/${id}?cluster=east`)).body as DriftRecord;
    assert.deepEqual([own.cluster, named.cluster, own.drift_type], ['east', 'east', 'Scaling']);
    const history = (await get(`/api/v1/drift-records/${id}/history?cluster=west&limit=5`))
      .body as DriftHistory;
    assert.deepEqual(
      history.events.map((e) => [e.cluster, e.resource_id]),
      [['west', 'Deployment:default:web']],
    );
    // north's web is in sync: a record without a transition, so no history, but the record is known.
    assert.equal((await get(`/api/v1/drift-records/${id}/history?cluster=north`)).status, 200);
    const missing = await get(
      `/api/v1/drift-records/${encodeURIComponent('Deployment:default:api')}?cluster=west`,
    );
    assert.deepEqual(
      [missing.status, missing.body],
      [404, { error: 'no drift record for Deployment:default:api of cluster west' }],
    );
    const unknown = await get(`/api/v1/drift-records/${id}/history?cluster=sotuh`);
    assert.deepEqual(
      [unknown.status, unknown.body],
      [404, { error: 'no records for cluster sotuh in this database; known clusters: east, north, west' }],
    );
    const every = await get(`/api/v1/drift-records/${id}?cluster=*`);
    assert.equal(every.status, 400);
    assert.match(JSON.stringify(every.body), /one record is of one cluster \(\* is for the lists\)/);
    const desired = await get(`/api/v1/drift-records/${id}/desired?cluster=west`);
    assert.equal(desired.status, 404);
    assert.match(
      JSON.stringify(desired.body),
      /desired state of cluster west is held by that cluster's agent, not this one \(cluster east\)/,
    );
  });
});

describe('the cluster summary publisher', () => {
  it('publishes after a write, not while nothing changed, and only as the leader', async () => {
    const inner = new SqliteStore({ path: ':memory:', cluster: 'east' });
    await inner.init();
    const store = new ResilientStore(inner);
    await store.allRecords();
    let leading = false;
    let writes = 0;
    const counted = Object.create(store) as ResilientStore;
    counted.saveClusterSummary = async (s) => (writes++, store.saveClusterSummary(s));
    const log = createLogger({ level: 'silent', format: 'json' });
    const publisher = new ClusterPublisher({
      store: counted,
      cluster: 'east',
      version: '2.0.0',
      leading: () => leading,
      log,
    });
    try {
      await publisher.tick();
      assert.equal(writes, 0, 'a follower publishes nothing');
      leading = true;
      await publisher.tick();
      await publisher.tick();
      assert.equal(writes, 1, 'once, then nothing changed');
      const web = transition(null, result('web', [scalingDetail(2, 5)]), T0, 'east');
      await store.saveRecords([web]);
      await publisher.tick();
      assert.equal(writes, 2);
      assert.deepEqual(
        (await store.clusterSummaries()).map((c) => [
          c.cluster,
          c.total_resources,
          c.active_drifts,
          c.agent_version,
        ]),
        [['east', 1, 1, '2.0.0']],
      );
    } finally {
      await store.close();
    }
  });
});
