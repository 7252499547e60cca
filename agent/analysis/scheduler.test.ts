// The scheduler on the real embedded store: full runs coalesce and join, unchanged records are
// not rewritten, single objects are analysed at once, records whose object left Git go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEngineOptions, parseManifests, type DesiredObject } from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import { createLogger } from '../log.ts';
import { AgentMetrics } from '../metrics.ts';
import { ResilientStore } from '../store/resilient.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/store.ts';
import { Scheduler } from './scheduler.ts';

const manifest = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: app }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: "nginx:1" }] }
`;

/** Each live object made is a new version, as the API server numbers every change. */
let version = 0;

function live(d: DesiredObject, replicas: number): KubeObject {
  const o = structuredClone(d.object);
  (o['spec'] as { replicas: number }).replicas = replicas;
  o.metadata['uid'] = `uid-${d.id}`;
  o.metadata['resourceVersion'] = String(++version);
  o.metadata['managedFields'] = [
    {
      manager: 'kubectl-scale',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    },
  ];
  return o;
}

/** Counts writes and single-record reads going through to the real store. */
function counting(store: Store): { store: Store; writes: () => number; reads: () => number } {
  let n = 0;
  let r = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.saveRecord = async (rec, e) => {
    n++;
    return store.saveRecord(rec, e);
  };
  wrapped.saveRecords = async (batch) => {
    n += batch.length;
    return store.saveRecords(batch);
  };
  wrapped.getRecords = async (ids) => {
    r++;
    return store.getRecords(ids);
  };
  return { store: wrapped, writes: () => n, reads: () => r };
}

async function setup(count: number, opts: { resilient?: boolean } = {}) {
  const inner = new SqliteStore({ path: ':memory:' });
  await inner.init();
  const counted = counting(inner);
  const { writes, reads } = counted;
  const store = opts.resilient ? new ResilientStore(counted.store) : counted.store;
  const files = Array.from({ length: count }, (_, i) => ({
    path: `d${i}.yaml`,
    content: manifest(`d${i}`, 2),
  }));
  const desired = new Map(
    parseManifests(files, { defaultNamespace: 'default' }).objects.map((d) => [
      d.id,
      { desired: d, commit: 'c1' },
    ]),
  );
  const liveMap = new Map<string, KubeObject>([...desired].map(([id, e]) => [id, live(e.desired, 2)]));
  const lines: string[] = [];
  const engine = defaultEngineOptions();
  const scheduler = new Scheduler({
    store,
    metrics: new AgentMetrics(),
    log: createLogger({ level: 'info', format: 'json' }, { write: (t) => lines.push(t) }),
    engine: () => engine,
    touchAfterMs: 60_000,
    desired,
    live: liveMap,
    gitCommit: () => 'c1',
    loaded: Promise.resolve(),
  });
  /** Resolves once the records written behind are in the database (they go after the run that made them). */
  const settled = async () => {
    if (store instanceof ResilientStore)
      while (store.behindWrites() > 0 || store.revision() === null) await new Promise((r) => setImmediate(r));
  };
  return { scheduler, store: inner, writes, reads, desired, liveMap, lines, settled };
}

async function done(s: Scheduler, id: string): Promise<void> {
  await s.idle();
  assert.equal(s.analysis(id)?.status, 'completed', JSON.stringify(s.analysis(id)));
}

describe('analysis scheduler', () => {
  it('joins a trigger to the run already queued or running', async () => {
    const { scheduler } = await setup(3);
    const a = scheduler.triggerAnalysis('manual');
    const b = scheduler.triggerAnalysis('periodic');
    assert.equal(a.status, 'running');
    assert.equal(b.analysis_id, a.analysis_id);
    await done(scheduler, a.analysis_id);
    assert.equal(scheduler.analysis(a.analysis_id)?.resources, 3);
    const c = scheduler.triggerAnalysis('manual');
    assert.notEqual(c.analysis_id, a.analysis_id, 'a new run after the last finished');
    await scheduler.stop();
  });

  it('does not rewrite unchanged records on the next full run', async () => {
    const { scheduler, writes } = await setup(50);
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    assert.equal(writes(), 50);
    await done(scheduler, scheduler.triggerAnalysis('periodic').analysis_id);
    assert.equal(writes(), 50, 'second run wrote nothing');
    await scheduler.stop();
  });

  it('analyses one changed object: detected, then resolved', async () => {
    const { scheduler, store, desired, liveMap, lines } = await setup(2);
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    const id = [...desired.keys()][0] ?? '';
    liveMap.set(id, live(desired.get(id)!.desired, 5));
    scheduler.analyzeObjects([id], 'watch');
    await scheduler.idle();
    const rec = await store.getRecord(id);
    assert.equal(rec?.drift_status, 'active');
    assert.equal(rec?.drift_type, 'Scaling');
    assert.ok(lines.some((l) => l.includes('"event":"drift_detected"') && l.includes(id)));
    liveMap.set(id, live(desired.get(id)!.desired, 2));
    scheduler.analyzeObjects([id], 'watch');
    await scheduler.idle();
    assert.equal((await store.getRecord(id))?.drift_status, 'resolved');
    await scheduler.stop();
  });

  it('resolves an active drift whose object left Git before its record goes', async () => {
    const { scheduler, store, desired, liveMap } = await setup(2);
    const id = [...desired.keys()][1] ?? '';
    liveMap.set(id, live(desired.get(id)!.desired, 5));
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    assert.equal((await store.getRecord(id))?.drift_status, 'active');
    desired.delete(id);
    liveMap.delete(id);
    await done(scheduler, scheduler.triggerAnalysis('git').analysis_id);
    assert.equal(await store.getRecord(id), null);
    const history = (await store.history(id)).map((e) => e.event);
    assert.deepEqual(history, ['resolved', 'detected'], 'newest first: the episode is closed');
    await scheduler.stop();
  });

  it('reads nothing from the store for a change to an object Git does not hold', async () => {
    const { scheduler, reads, writes } = await setup(1);
    scheduler.analyzeObjects(['ConfigMap:app:not-in-git'], 'watch');
    await scheduler.idle();
    assert.equal(reads(), 0);
    assert.equal(writes(), 0);
    await scheduler.stop();
  });

  it('removes the record of an object that left Git', async () => {
    const { scheduler, store, desired } = await setup(2);
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    const id = [...desired.keys()][1] ?? '';
    desired.delete(id);
    await done(scheduler, scheduler.triggerAnalysis('git').analysis_id);
    assert.equal(await store.getRecord(id), null);
    assert.equal((await store.allRecords()).length, 1);
    await scheduler.stop();
  });

  it('a warm full run over the agent store reads nothing from the database and skips the engine', async () => {
    const { scheduler, reads, writes, desired, liveMap, settled } = await setup(200, { resilient: true });
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    await settled();
    const readsAfterFirst = reads();
    assert.equal(writes(), 200);
    await done(scheduler, scheduler.triggerAnalysis('manual').analysis_id);
    assert.equal(reads(), readsAfterFirst, 'previous records came from the one in-memory copy');
    assert.equal(writes(), 200);
    // A changed live object is still seen by the next full run (not only by its watch event).
    const id = [...desired.keys()][7] ?? '';
    liveMap.set(id, live(desired.get(id)!.desired, 9));
    const third = scheduler.triggerAnalysis('manual').analysis_id;
    await done(scheduler, third);
    assert.equal(scheduler.analysis(third)?.detected, 1);
    assert.equal(scheduler.analysis(third)?.drifted, 1);
    await scheduler.stop();
  });

  it('analyses a change that arrives during a full run before that run ends', async () => {
    const { scheduler, store, desired, liveMap } = await setup(1500);
    const run = scheduler.triggerAnalysis('manual').analysis_id;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(scheduler.analysis(run)?.status, 'running', 'the full run is still going');
    const id = [...desired.keys()].at(-1) ?? '';
    liveMap.set(id, live(desired.get(id)!.desired, 7));
    scheduler.analyzeObjects([id], 'watch');
    await done(scheduler, run);
    const rec = await store.getRecord(id);
    assert.equal(rec?.drift_status, 'active');
    assert.ok(
      Date.parse(rec.first_detected ?? '') <= Date.parse(scheduler.analysis(run)?.finished_at ?? ''),
      `detected at ${rec.first_detected}, full run finished at ${scheduler.analysis(run)?.finished_at}`,
    );
    await scheduler.stop();
  });

  it('keeps the last 100 statuses', async () => {
    const { scheduler } = await setup(1);
    const first = scheduler.triggerAnalysis('manual').analysis_id;
    await scheduler.idle();
    for (let i = 0; i < 100; i++) {
      scheduler.triggerAnalysis('manual');
      await scheduler.idle();
    }
    assert.equal(scheduler.analysis(first), undefined);
    await scheduler.stop();
  });
});
