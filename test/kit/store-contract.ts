// The one behaviour every Store must show, run against each implementation on a real database
// (sqlite.test.ts on a file, mongo.test.ts on FerretDB). Records are compared after a JSON round
// trip: stores keep JSON semantics, so a detail field holding `undefined` comes back absent.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type {
  DriftDetail,
  DriftEvent,
  DriftRecord,
  DriftResult,
  LastAnalysis,
  StoredWaiver,
} from '../../shared/types.ts';
import { transition } from '../../agent/records/lifecycle.ts';
import { imageDetail, result, scalingDetail } from '../records/details.ts';
import type { RecordQuery, Store } from '../../agent/store/store.ts';
import { shouldWrite } from '../../agent/records/next-state.ts';

/** One empty database per test; `open` may be called again to reopen the same database. */
export interface StoreBackend {
  /** A new, initialised store on this backend's database, of this cluster (default: "default"). */
  open(cluster?: string): Promise<Store>;
  /** Removes the database (called after the test, stores already closed). */
  cleanup(): Promise<void>;
}

const T0 = '2026-03-01T10:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const ids = (records: DriftRecord[]): string[] => records.map((r) => r.resource_id);

function recordOf(verdict: DriftResult, time = T0): { record: DriftRecord; event: DriftEvent | null } {
  return transition(null, verdict, time);
}

/** A mixture of kinds, namespaces, severities, types and all three statuses. */
function fixture(): DriftRecord[] {
  const out: DriftRecord[] = [];
  const namespaces = ['shop', 'payments', ''];
  for (let i = 0; i < 24; i++) {
    const ns = namespaces[i % 3] ?? '';
    const kind = ns === '' ? 'ClusterRole' : i % 2 ? 'Deployment' : 'ConfigMap';
    const details: DriftDetail[] =
      i % 4 === 0 ? [] : i % 4 === 1 ? [scalingDetail(2, 4)] : [imageDetail('a:1', `a:${i}`)];
    let r = transition(null, result(`r${String(i).padStart(2, '0')}`, details, ns, kind), T0).record;
    if (i % 8 === 3) r = transition(r, result(r.name, [], ns, kind), at(5)).record; // resolved
    out.push(r);
  }
  return out;
}

function matches(r: DriftRecord, q: RecordQuery): boolean {
  return (
    (q.namespace === undefined || r.namespace === q.namespace) &&
    (q.kind === undefined || r.kind === q.kind) &&
    (q.drift_detected === undefined || r.drift_detected === q.drift_detected) &&
    (q.drift_status === undefined || r.drift_status === q.drift_status) &&
    (q.severity === undefined || r.severity === q.severity) &&
    (q.type === undefined || r.drift_type === q.type)
  );
}

export function storeContract(name: string, makeBackend: () => Promise<StoreBackend>): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    let backend: StoreBackend | undefined;
    async function fresh(): Promise<Store> {
      backend = await makeBackend();
      return reopen();
    }
    async function reopen(cluster?: string): Promise<Store> {
      assert.ok(backend);
      const s = await backend.open(cluster);
      opened.push(s);
      return s;
    }
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await backend?.cleanup();
      backend = undefined;
    });

    it('two clusters share the database: each reads, changes and deletes only its own records', async () => {
      const a = await fresh();
      const b = await reopen('eu-west');
      const id = 'Deployment:default:web';
      const inA = recordOf(result('web', [scalingDetail(3, 5)]));
      const inB = transition(null, result('web', [imageDetail('a:1', 'a:2')]), T0, 'eu-west');
      await a.saveRecord(inA.record, inA.event);
      await b.saveRecord(inB.record, inB.event);
      assert.equal(inB.record.cluster, 'eu-west');
      assert.notEqual(inA.event?.event_id, inB.event?.event_id, 'event ids differ across clusters');
      assert.deepEqual(await a.getRecord(id), json(inA.record));
      assert.deepEqual(await b.getRecord(id), json(inB.record));
      assert.deepEqual(ids(await a.allRecords()), [id]);
      assert.deepEqual(
        (await b.allRecords()).map((r) => r.cluster),
        ['eu-west'],
      );
      assert.deepEqual(
        [...(await b.getRecords([id])).values()].map((r) => r.drift_type),
        ['VersionChange'],
      );
      assert.deepEqual(
        (await a.history(id)).map((e) => e.cluster),
        ['default'],
      );
      assert.deepEqual(
        (await b.eventsSince(T0)).map((e) => e.cluster),
        ['eu-west'],
      );
      // Another cluster's records are read only through the list filter.
      const page = await a.listRecords({ cluster: 'eu-west' });
      assert.deepEqual(
        page.records.map((r) => r.cluster),
        ['eu-west'],
      );
      assert.equal((await a.listRecords({})).records[0]?.cluster, 'default');
      // A full run of cluster B that no longer tracks the object removes B's record only.
      await b.deleteRecord(id);
      assert.equal(await b.getRecord(id), null);
      assert.deepEqual(await a.getRecord(id), json(inA.record));
      await b.saveLastAnalysis({
        started_at: T0,
        finished_at: at(1),
        duration_seconds: 60,
        resources: 7,
        git_commit: null,
      });
      assert.equal(await a.lastAnalysis(), null);
      assert.equal((await b.lastAnalysis())?.resources, 7);
      // A store never writes another cluster's record.
      await assert.rejects(() => b.saveRecord(inA.record, inA.event), /refusing to write/);
    });

    it('every cluster at once: cluster * lists all, clusters() counts each and finds its last analysis', async () => {
      const a = await fresh();
      const b = await reopen('eu-west');
      const c = await reopen('ap-south');
      const web = (cluster: string, details: DriftDetail[]) =>
        transition(null, result('web', details), T0, cluster);
      const api = (cluster: string) => transition(null, result('api', []), T0, cluster);
      for (const w of [web('default', [scalingDetail(3, 5)]), api('default')])
        await a.saveRecord(w.record, w.event);
      for (const w of [web('eu-west', [imageDetail('a:1', 'a:2')])]) await b.saveRecord(w.record, w.event);
      for (const w of [web('ap-south', []), api('ap-south')]) await c.saveRecord(w.record, w.event);
      await b.saveLastAnalysis({
        started_at: T0,
        finished_at: at(1),
        duration_seconds: 60,
        resources: 1,
        git_commit: 'abc',
        agent_version: '9.9.9',
      });
      const all = await a.listRecords({ cluster: '*' });
      assert.equal(all.count, 5);
      // By resource id, then cluster: a page boundary never splits a tie differently.
      assert.deepEqual(
        all.records.map((r) => `${r.resource_id}@${r.cluster}`),
        [
          'Deployment:default:api@ap-south',
          'Deployment:default:api@default',
          'Deployment:default:web@ap-south',
          'Deployment:default:web@default',
          'Deployment:default:web@eu-west',
        ],
      );
      const page = await c.listRecords({ cluster: '*', limit: 2, offset: 2 });
      assert.deepEqual(
        page.records.map((r) => r.cluster),
        ['ap-south', 'default'],
      );
      assert.equal((await a.listRecords({ cluster: '*', drift_status: 'active' })).count, 2);
      assert.ok(a.clusters, 'a real store counts clusters');
      const { tallies, analyses } = await a.clusters();
      const total = (cluster: string, status?: string) =>
        tallies
          .filter((t) => t.cluster === cluster && (status === undefined || t.drift_status === status))
          .reduce((n, t) => n + t.count, 0);
      assert.deepEqual(
        [total('default'), total('eu-west'), total('ap-south'), total('nowhere')],
        [2, 1, 2, 0],
      );
      assert.deepEqual(
        tallies
          .filter((t) => t.drift_status === 'active')
          .map((t) => `${t.cluster}:${t.severity}:${t.count}`)
          .sort(),
        ['default:medium:1', 'eu-west:high:1'],
      );
      assert.deepEqual([...analyses.keys()], ['eu-west']);
      assert.equal(analyses.get('eu-west')?.agent_version, '9.9.9');
      // Each cluster publishes its own summary; every one is read back, none written for another.
      assert.ok(a.saveClusterSummary && b.saveClusterSummary && a.clusterSummaries);
      const summary = (cluster: string, total: number) => ({
        cluster,
        total_resources: total,
        active_drifts: 1,
        by_severity: { high: 1 },
        last_analysis: null,
        agent_version: '9.9.9',
      });
      await a.saveClusterSummary(summary('default', 1));
      await a.saveClusterSummary(summary('default', 2));
      await b.saveClusterSummary(summary('eu-west', 1));
      await assert.rejects(
        () => b.saveClusterSummary?.(summary('default', 3)) ?? Promise.resolve(),
        /refusing/,
      );
      assert.deepEqual(
        (await c.clusterSummaries?.())?.map((x) => `${x.cluster}:${x.total_resources}`).sort(),
        ['default:2', 'eu-west:1'],
      );
      assert.deepEqual(
        json(await a.clusterSummaries()).find((x) => x.cluster === 'eu-west'),
        summary('eu-west', 1),
      );
    });

    it('a record read back is the record written: a restart rewrites only what changed', async () => {
      const s = await fresh();
      const written = fixture().map((r, i) => (i % 2 ? { ...r, verdict_key: `v1|k${i}|uid@${i}` } : r));
      await s.saveRecords(written.map((record) => ({ record, event: null })));
      const back = await (await reopen()).getRecords(ids(written));
      for (const r of written) {
        const stored = back.get(r.resource_id);
        assert.ok(stored, r.resource_id);
        assert.equal(stored.verdict_key, r.verdict_key, 'the memo key is kept');
        // The same verdict again, analysed just after: nothing to write (key order, absent fields).
        assert.equal(
          shouldWrite(stored, { ...r, last_checked: at(1) }, at(1), 3_600_000),
          false,
          r.resource_id,
        );
      }
    });

    it('answers ping and starts empty', async () => {
      const s = await fresh();
      assert.equal(await s.ping(), true);
      assert.deepEqual(await s.allRecords(), []);
      assert.equal(await s.getRecord('Deployment:default:web'), null);
      assert.equal(await s.lastAnalysis(), null);
    });

    it('upserts by resource_id and returns the latest record', async () => {
      const s = await fresh();
      const first = recordOf(result('web', [scalingDetail(3, 5)]));
      await s.saveRecord(first.record, first.event);
      assert.deepEqual(await s.getRecord('Deployment:default:web'), json(first.record));
      const next = transition(first.record, result('web'), at(1));
      await s.saveRecord(next.record, next.event);
      assert.deepEqual(await s.getRecord('Deployment:default:web'), json(next.record));
      assert.equal((await s.allRecords()).length, 1);
    });

    it('gets several records at once, skipping unknown ids', async () => {
      const s = await fresh();
      for (const r of fixture()) await s.saveRecord(r, null);
      const got = await s.getRecords([
        'Deployment:payments:r01',
        'ConfigMap:payments:r04',
        'Deployment:nowhere:x',
      ]);
      assert.deepEqual([...got.keys()].sort(), ['ConfigMap:payments:r04', 'Deployment:payments:r01']);
      assert.equal(got.get('Deployment:payments:r01')?.name, 'r01');
      assert.equal((await s.getRecords([])).size, 0);
    });

    it('lists all records ordered by resource_id', async () => {
      const s = await fresh();
      const all = fixture();
      for (const r of [...all].reverse()) await s.saveRecord(r, null);
      assert.deepEqual(ids(await s.allRecords()), ids(all).sort());
    });

    it('filters by every field, alone and combined, with counts', async () => {
      const s = await fresh();
      const all = fixture();
      for (const r of all) await s.saveRecord(r, null);
      const queries: RecordQuery[] = [
        {},
        { namespace: 'shop' },
        { namespace: '' },
        { kind: 'ConfigMap' },
        { drift_detected: true },
        { drift_detected: false },
        { drift_status: 'active' },
        { drift_status: 'resolved' },
        { drift_status: 'none' },
        { severity: 'high' },
        { severity: 'medium' },
        { type: 'Scaling' },
        { type: 'VersionChange' },
        { namespace: 'payments', drift_status: 'active', severity: 'high' },
        { kind: 'Deployment', type: 'Scaling', drift_detected: true },
        { namespace: 'nowhere' },
      ];
      for (const q of queries) {
        const expected = ids(all.filter((r) => matches(r, q))).sort();
        const page = await s.listRecords(q);
        assert.deepEqual(ids(page.records), expected, JSON.stringify(q));
        assert.equal(page.count, expected.length, JSON.stringify(q));
      }
      // The fixture really exercises each status and an empty result.
      assert.ok((await s.listRecords({ drift_status: 'resolved' })).count > 0);
      assert.ok((await s.listRecords({ drift_status: 'none' })).count > 0);
    });

    it('pages with limit and offset; count ignores them', async () => {
      const s = await fresh();
      const all = fixture();
      for (const r of all) await s.saveRecord(r, null);
      const seen: string[] = [];
      for (let offset = 0; offset < all.length + 5; offset += 5) {
        const page = await s.listRecords({ limit: 5, offset });
        assert.equal(page.count, all.length);
        assert.ok(page.records.length <= 5);
        seen.push(...ids(page.records));
      }
      assert.deepEqual(seen, ids(all).sort());
      const filtered = await s.listRecords({ drift_status: 'active', limit: 2, offset: 1 });
      assert.deepEqual(
        ids(filtered.records),
        ids(all.filter((r) => r.drift_status === 'active'))
          .sort()
          .slice(1, 3),
      );
      assert.deepEqual(await s.listRecords({ limit: 0 }), { records: [], count: all.length });
      await assert.rejects(s.listRecords({ limit: -1 }), RangeError);
      await assert.rejects(s.listRecords({ offset: 1.5 }), RangeError);
    });

    it('treats query values as plain values, never operators', async () => {
      const s = await fresh();
      for (const r of fixture()) await s.saveRecord(r, null);
      const injected = { $ne: null } as unknown as string;
      assert.deepEqual(await s.listRecords({ namespace: injected }), { records: [], count: 0 });
      assert.deepEqual(await s.listRecords({ kind: '{"$ne": null}' }), { records: [], count: 0 });
      assert.deepEqual(await s.listRecords({ drift_status: { $in: ['active'] } as unknown as 'active' }), {
        records: [],
        count: 0,
      });
      assert.equal(await s.getRecord(injected), null);
      assert.equal((await s.getRecords([injected])).size, 0);
      assert.deepEqual(await s.history(injected), []);
      await s.deleteRecord(injected);
      assert.equal((await s.allRecords()).length, fixture().length);
    });

    it('keeps history newest first, with a limit', async () => {
      const s = await fresh();
      let prev: DriftRecord | null = null;
      const verdicts = [
        result('web', [scalingDetail(3, 5)]),
        result('web', [scalingDetail(3, 6)]),
        result('web'),
        result('web', [scalingDetail(3, 4)]),
      ];
      const events: DriftEvent[] = [];
      for (const [i, v] of verdicts.entries()) {
        const out = transition(prev, v, at(i));
        prev = out.record;
        if (out.event) events.push(out.event);
        await s.saveRecord(out.record, out.event);
      }
      const other = recordOf(result('api', [scalingDetail(1, 2)]), at(2));
      await s.saveRecord(other.record, other.event);
      const history = await s.history('Deployment:default:web');
      assert.deepEqual(
        history.map((e) => e.event),
        ['detected', 'resolved', 'updated', 'detected'],
      );
      assert.deepEqual(history, json([...events].reverse()));
      assert.deepEqual(
        (await s.history('Deployment:default:web', 2)).map((e) => e.time),
        [at(3), at(2)],
      );
      assert.deepEqual(await s.history('Deployment:default:nothing'), []);
    });

    it('writes the same record and event twice as one (idempotent retries)', async () => {
      const s = await fresh();
      const out = recordOf(result('web', [scalingDetail(3, 5)]));
      await s.saveRecord(out.record, out.event);
      await s.saveRecord(out.record, out.event);
      assert.equal((await s.allRecords()).length, 1);
      assert.equal((await s.history('Deployment:default:web')).length, 1);
      assert.equal((await s.eventsSince(T0)).length, 1);
    });

    it('writes a batch: new and existing records, their events once, again idempotently', async () => {
      const s = await fresh();
      const existing = recordOf(result('web', [scalingDetail(3, 5)]));
      await s.saveRecord(existing.record, existing.event);
      const next = transition(existing.record, result('web', []), at(1));
      const batch = [
        next,
        ...Array.from({ length: 300 }, (_, i) => recordOf(result(`n${String(i).padStart(3, '0')}`, []))),
        recordOf(result('drifted', [imageDetail('a:1', 'a:2')])),
      ];
      await s.saveRecords(batch);
      await s.saveRecords(batch);
      await s.saveRecords([]);
      const all = await s.allRecords();
      assert.equal(all.length, 302);
      assert.deepEqual(await s.getRecord('Deployment:default:web'), json(next.record));
      assert.deepEqual(
        (await s.history('Deployment:default:web')).map((e) => e.event),
        ['resolved', 'detected'],
      );
      assert.equal((await s.history('Deployment:default:drifted')).length, 1);
      assert.equal((await s.eventsSince(T0)).length, 3);
    });

    it('returns events at or after a time, oldest first', async () => {
      const s = await fresh();
      for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) {
        const out = recordOf(result(name, [scalingDetail(1, 2)]), at(10 - i * 3));
        await s.saveRecord(out.record, out.event);
      }
      assert.deepEqual(
        (await s.eventsSince(at(4))).map((e) => e.time),
        [at(4), at(7), at(10)],
      );
      assert.deepEqual(await s.eventsSince(at(11)), []);
    });

    it('round-trips the last analysis', async () => {
      const s = await fresh();
      const first: LastAnalysis = {
        started_at: T0,
        finished_at: at(1),
        duration_seconds: 60,
        resources: 12,
        git_commit: null,
      };
      await s.saveLastAnalysis(first);
      assert.deepEqual(await s.lastAnalysis(), first);
      const second = { ...first, resources: 13, git_commit: 'abc1234' };
      await s.saveLastAnalysis(second);
      assert.deepEqual(await s.lastAnalysis(), second);
    });

    it('deletes a record (its events stay as history); deleting a missing one is fine', async () => {
      const s = await fresh();
      const out = recordOf(result('web', [scalingDetail(3, 5)]));
      await s.saveRecord(out.record, out.event);
      await s.deleteRecord('Deployment:default:web');
      await s.deleteRecord('Deployment:default:web');
      assert.equal(await s.getRecord('Deployment:default:web'), null);
      assert.deepEqual(await s.allRecords(), []);
      assert.equal((await s.history('Deployment:default:web')).length, 1);
    });

    it('stores any JSON in drift values: dotted and $ keys, nested arrays, absent fields', async () => {
      const s = await fresh();
      const odd: DriftDetail[] = [
        {
          path: 'metadata.labels',
          type: 'LabelChange',
          severity: 'low',
          desired: { 'app.kubernetes.io/name': 'web' },
          live: { $ne: 1, 'a.b': [[1, 2], []] },
          manager: null,
          changed_at: null,
        },
        {
          path: 'metadata.annotations.x',
          type: 'AnnotationChange',
          severity: 'low',
          desired: undefined,
          live: 'added',
          manager: 'kubectl-annotate',
          changed_at: T0,
        },
        {
          path: 'spec.x',
          type: 'ConfigurationChange',
          severity: 'medium',
          desired: null,
          live: '',
          manager: null,
          changed_at: null,
        },
      ];
      const out = recordOf(result('odd', odd));
      await s.saveRecord(out.record, out.event);
      const back = await s.getRecord('Deployment:default:odd');
      assert.deepEqual(back, json(out.record));
      assert.equal(back?.drift_details[1] && 'desired' in back.drift_details[1], false);
    });

    it('persists across close and reopen', async () => {
      const s = await fresh();
      const out = recordOf(result('web', [scalingDetail(3, 5)]));
      await s.saveRecord(out.record, out.event);
      const analysis: LastAnalysis = {
        started_at: T0,
        finished_at: T0,
        duration_seconds: 0,
        resources: 1,
        git_commit: null,
      };
      await s.saveLastAnalysis(analysis);
      await s.close();
      const again = await reopen();
      assert.deepEqual(await again.getRecord('Deployment:default:web'), json(out.record));
      assert.equal((await again.history('Deployment:default:web')).length, 1);
      assert.deepEqual(await again.lastAnalysis(), analysis);
    });

    it('keeps waivers beside the records: per cluster, upserted by id, across reopen', async () => {
      const a = await fresh();
      const b = await reopen('eu-west');
      assert.ok(a.waivers && a.saveWaiver && b.waivers && b.saveWaiver, 'the store keeps waivers');
      const waiver: StoredWaiver = {
        id: 'w-1',
        cluster: 'default',
        owner: 'dev-1@example.com',
        reason: 'load test until Friday',
        scope: {
          resource_id: 'Deployment:shop:web',
          kind: null,
          namespace: null,
          name: null,
          field: 'spec.replicas',
        },
        created_at: T0,
        expires_at: at(7 * 24 * 60),
        revoked_at: null,
        voided_at: null,
        signature: 'spec.replicas\u00003\u00005',
      };
      const rule: StoredWaiver = {
        ...waiver,
        id: 'w-2',
        created_at: at(1),
        scope: { resource_id: null, kind: 'Deployment', namespace: 'shop*', name: null, field: null },
        signature: null,
      };
      await a.saveWaiver(rule);
      await a.saveWaiver(waiver);
      assert.deepEqual(await a.waivers(), [waiver, rule], 'oldest first');
      assert.deepEqual(await b.waivers(), [], "another cluster's waivers are not read");
      await assert.rejects(b.saveWaiver(waiver), /belongs to cluster default/);
      const revoked = { ...waiver, revoked_at: at(2) };
      await a.saveWaiver(revoked);
      await a.close();
      const again = await reopen();
      assert.ok(again.waivers);
      assert.deepEqual(await again.waivers(), [revoked, rule]);
    });
  });
}
