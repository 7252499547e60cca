// The scheduler's Unmanaged records on the real LiveState and embedded store: a hand-made object in
// a namespace Git declares objects in is recorded at its watch event, resolved when it is deleted
// and when a source starts declaring it; other namespaces, system namespaces and cluster-made
// objects are never recorded; without drift.unmanaged: report nothing is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEngineOptions, parseManifests } from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import { LiveState } from '../kube/live-state.ts';
import { createLogger } from '../log.ts';
import { AgentMetrics } from '../metrics.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { DesiredEntry } from '../git/desired-view.ts';
import { Scheduler } from './scheduler.ts';

const deployment = (name: string, namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: "nginx:1" }] }
`;

function entry(name: string, namespace: string): [string, DesiredEntry] {
  const [d] = parseManifests([{ path: `${name}.yaml`, content: deployment(name, namespace) }], {
    defaultNamespace: 'default',
  }).objects;
  assert.ok(d);
  return [d.id, { desired: d, commit: 'c1' }];
}

/** The object as the API server would hold it, created by `manager`. */
function liveOf(e: DesiredEntry, rv: string, extra: Record<string, unknown> = {}): KubeObject {
  const o = structuredClone(e.desired.object);
  Object.assign(o.metadata, {
    resourceVersion: rv,
    uid: `uid-${String(o.metadata['name'])}`,
    creationTimestamp: '2026-12-01T10:00:00Z',
    managedFields: [{ manager: 'kubectl-create', operation: 'Update', time: '2026-12-01T10:00:00Z' }],
    ...extra,
  });
  return o;
}

async function setup(report: boolean) {
  const store = new SqliteStore({ path: ':memory:' });
  await store.init();
  const desired = new Map([entry('web', 'app')]);
  const state = new LiveState();
  state.trackOnly((id) => desired.has(id));
  state.keepUnmanagedFacts(report);
  // As the watches read an object whole once Git starts to name it.
  state.setFetcher(async (e) => liveOf(entry(e.name, e.namespace)[1], e.resourceVersion));
  const engine = defaultEngineOptions();
  const scheduler = new Scheduler({
    store,
    metrics: new AgentMetrics(),
    log: createLogger({ level: 'error', format: 'json' }, { write: () => undefined }),
    engine: () => engine,
    touchAfterMs: 60_000,
    desired,
    live: state,
    gitCommit: () => 'c1',
    loaded: Promise.resolve(),
    ...(report ? { unmanaged: { namespaces: [], skipNamespaces: ['kube-system'] } } : {}),
  });
  state.onChange((c) => scheduler.analyzeObjects([c.id], 'watch'));
  const [, web] = entry('web', 'app');
  state.upsert(liveOf(web, '1'), false);
  return { store, desired, state, scheduler };
}

const HAND = 'Deployment:app:hand';

describe('scheduler: objects Git does not know', () => {
  it('records a hand-made object at its watch event; resolves it when deleted', async () => {
    const { store, state, scheduler } = await setup(true);
    await scheduler.idle();
    scheduler.triggerAnalysis('manual');
    await scheduler.idle();
    const [, hand] = entry('hand', 'app');
    state.upsert(liveOf(hand, '2'), true);
    // Not tracked namespaces: one Git declares nothing in, a system one; and an owned object.
    state.upsert(liveOf(entry('other', 'elsewhere')[1], '3'), true);
    state.upsert(liveOf(entry('sys', 'kube-system')[1], '4'), true);
    state.upsert(liveOf(entry('rs', 'app')[1], '5', { ownerReferences: [{ kind: 'X', name: 'y' }] }), true);
    await scheduler.idle();
    const rec = await store.getRecord(HAND);
    assert.equal(rec?.drift_status, 'active');
    assert.equal(rec?.drift_type, 'Unmanaged');
    assert.equal(rec?.drift_details[0]?.manager, 'kubectl-create');
    const ids = (await store.allRecords()).map((r) => r.resource_id).sort();
    assert.deepEqual(ids, [HAND, 'Deployment:app:web']);
    // An edit of it is no new episode; its deletion resolves it, and the record stays (resolved).
    state.upsert(liveOf(hand, '6', { labels: { x: 'y' } }), true);
    await scheduler.idle();
    assert.equal((await store.getRecord(HAND))?.first_detected, rec.first_detected);
    state.remove(liveOf(hand, '6'), true);
    await scheduler.idle();
    const gone = await store.getRecord(HAND);
    assert.equal(gone?.drift_status, 'resolved');
    assert.match(gone.resolution_message ?? '', /gone from the cluster/);
    // A full run keeps it resolved and reports nothing new.
    const run = scheduler.triggerAnalysis('manual').analysis_id;
    await scheduler.idle();
    assert.equal(scheduler.analysis(run)?.detected, 0);
    assert.equal((await store.getRecord(HAND))?.drift_status, 'resolved');
    await scheduler.stop();
  });

  it('resolves the Unmanaged record once a source declares the object', async () => {
    const { store, desired, state, scheduler } = await setup(true);
    scheduler.triggerAnalysis('manual');
    await scheduler.idle();
    const [id, hand] = entry('hand', 'app');
    state.upsert(liveOf(hand, '2'), true);
    await scheduler.idle();
    assert.equal((await store.getRecord(HAND))?.drift_type, 'Unmanaged');
    desired.set(id, hand);
    scheduler.analyzeObjects([id], 'git');
    await scheduler.idle();
    const rec = await store.getRecord(HAND);
    assert.equal(rec?.drift_status, 'resolved');
    assert.equal(rec?.source_file, 'hand.yaml');
    assert.match(rec?.resolution_message ?? '', /declared in Git now/);
    const events = await store.history(HAND);
    assert.deepEqual(
      events.map((e) => `${e.event} ${e.drift_type}`),
      ['resolved Unmanaged', 'detected Unmanaged'],
    );
    await scheduler.stop();
  });

  it('records nothing unmanaged with drift.unmanaged: ignore', async () => {
    const { store, state, scheduler } = await setup(false);
    scheduler.triggerAnalysis('manual');
    await scheduler.idle();
    state.upsert(liveOf(entry('hand', 'app')[1], '2'), true);
    await scheduler.idle();
    scheduler.triggerAnalysis('manual');
    await scheduler.idle();
    assert.equal(state.unmanaged(HAND), undefined, 'no facts kept');
    assert.equal(await store.getRecord(HAND), null);
    await scheduler.stop();
  });
});
