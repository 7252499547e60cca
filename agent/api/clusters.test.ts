// Several clusters in one database, as one agent's API serves them: `?cluster=*` lists every
// cluster's records, a cluster the database does not know is a 404 naming those it knows, and
// /api/v1/statistics counts each cluster with its last analysis and agent version. On the real
// embedded store (one file, three stores of three cluster names), served over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftRecordList, Statistics } from '../../shared/types.ts';
import { serveInProcess } from '../../test/api/in-process.ts';
import type { ApiFixture } from '../../test/api/suite.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
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
        ['north', 1, 0, {}, null],
        ['west', 2, 2, { high: 1, medium: 1 }, '1.3.0'],
      ],
    );
    assert.equal(statistics.clusters[0]?.last_analysis?.resources, 2);
    assert.equal(statistics.clusters[1]?.last_analysis, null);
    // The top-level figures stay the agent's own cluster's.
    assert.equal(statistics.total_resources, 2);
  });
});
