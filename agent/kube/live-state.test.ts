// The live state keeps only tracked objects whole: the rest is an index entry, an object Git
// starts to name is read whole on demand, one Git stops naming is slimmed, and a relist removes
// what it no longer saw.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeAll, defaultEngineOptions, parseManifests, revertPlan } from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import {
  fixtureCases,
  liveCrdSchemas,
  liveObjects,
  readText,
  TESTDATA,
} from '../../test/engine/testdata/fixtures.ts';
import { LiveState, liveProjection, type LiveChange } from './live-state.ts';

function cm(name: string, rv: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'app',
      resourceVersion: rv,
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      ...extra,
    },
    data: { big: 'x'.repeat(1000) },
  };
}

describe('live state', () => {
  it('holds tracked objects whole and others as index entries', () => {
    const state = new LiveState();
    state.trackOnly((id) => id === 'ConfigMap:app:tracked');
    state.upsert(cm('tracked', '1'), false);
    state.upsert(
      cm('other', '1', { ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }),
      false,
    );
    assert.equal(state.get('ConfigMap:app:tracked')?.metadata['resourceVersion'], '1');
    assert.equal(state.get('ConfigMap:app:other'), undefined, 'not held whole');
    assert.deepEqual(state.entry('ConfigMap:app:other'), {
      kind: 'ConfigMap',
      namespace: 'app',
      name: 'other',
      resourceVersion: '1',
      owner: 'Deployment/web',
      object: undefined,
    });
    assert.deepEqual(state.counts(), { ConfigMap: 2 });
  });

  it('remembers Jobs seen finished after they are gone, and forgets one run again', () => {
    const state = new LiveState();
    const job = (rv: string, finished: boolean): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'app', resourceVersion: rv },
      status: finished ? { conditions: [{ type: 'Complete', status: 'True' }] } : {},
    });
    state.upsert(job('1', false), false);
    assert.equal(state.finishedJobs.has('Job:app:migrate'), false);
    state.upsert(job('2', true), false);
    state.remove(job('3', true), false);
    assert.equal(state.get('Job:app:migrate'), undefined);
    assert.equal(state.finishedJobs.has('Job:app:migrate'), true, 'finished before it went');
    state.upsert(job('4', false), false);
    state.remove(job('5', false), false);
    assert.equal(state.finishedJobs.has('Job:app:migrate'), false, 're-created and deleted mid-run');
  });

  it('reports only real changes, also for light entries', () => {
    const state = new LiveState();
    state.trackOnly(() => false);
    const changes: LiveChange[] = [];
    state.onChange((c) => changes.push(c));
    state.upsert(cm('a', '1'), true);
    state.upsert(cm('a', '1'), true);
    state.upsert(cm('a', '2'), true);
    state.remove(cm('a', '2'), true);
    assert.deepEqual(
      changes.map((c) => c.change),
      ['add', 'update', 'delete'],
    );
  });

  it('reads whole an object Git starts to name, and slims one it stops naming', async () => {
    const state = new LiveState();
    let tracked = new Set<string>();
    state.trackOnly((id) => tracked.has(id));
    const fetched: string[] = [];
    state.setFetcher(async (e) => {
      fetched.push(e.name);
      return e.name === 'gone' ? null : cm(e.name, e.resourceVersion);
    });
    state.upsert(cm('a', '5'), false);
    state.upsert(cm('gone', '6'), false);
    state.upsert(cm('b', '7'), false);
    tracked = new Set(['ConfigMap:app:a', 'ConfigMap:app:gone']);
    assert.equal(await state.ensure(['ConfigMap:app:a', 'ConfigMap:app:gone', 'ConfigMap:app:b']), 1);
    assert.deepEqual(fetched.sort(), ['a', 'gone'], 'untracked b is not read');
    assert.equal(state.get('ConfigMap:app:a')?.metadata['resourceVersion'], '5');
    assert.equal(state.entry('ConfigMap:app:gone'), undefined, 'deleted meanwhile');
    assert.equal(await state.ensure(['ConfigMap:app:a']), 0, 'already whole');
    tracked = new Set();
    assert.equal(state.compact(), 1);
    assert.equal(state.get('ConfigMap:app:a'), undefined);
    assert.equal(state.entry('ConfigMap:app:a')?.resourceVersion, '5');
  });

  it('a watch event of the same version makes a light entry whole once it is tracked', () => {
    const state = new LiveState();
    let tracked = false;
    state.trackOnly(() => tracked);
    state.upsert(cm('a', '1'), false);
    tracked = true;
    assert.ok(state.upsert(cm('a', '1'), false));
    assert.ok(state.get('ConfigMap:app:a'));
    assert.equal(state.upsert(cm('a', '1'), false), null);
  });

  it('removes what a complete list did not see, in its scope only', () => {
    const state = new LiveState();
    state.upsert(cm('a', '1'), false);
    state.upsert(cm('b', '1'), false);
    state.upsert(
      { ...cm('c', '1'), metadata: { name: 'c', namespace: 'other', resourceVersion: '1' } },
      false,
    );
    const changes = state.removeUnseen('ConfigMap', 'app', new Set(['ConfigMap:app:a']), false);
    assert.deepEqual(
      changes.map((c) => c.id),
      ['ConfigMap:app:b'],
    );
    assert.ok(state.entry('ConfigMap:other:c'));
  });

  it('keeps Unmanaged facts, not bodies, of untracked objects the cluster did not make', () => {
    const state = new LiveState();
    let tracked = new Set(['ConfigMap:app:was-in-git']);
    state.trackOnly((id) => tracked.has(id));
    state.upsert(cm('before', '1'), false);
    state.keepUnmanagedFacts(true);
    state.upsert(cm('hand', '1', { uid: 'u1', creationTimestamp: '2026-12-01T10:00:00Z' }), false);
    state.upsert(cm('kube-root-ca.crt', '1'), false);
    state.upsert(cm('owned', '1', { ownerReferences: [{ kind: 'Deployment', name: 'web' }] }), false);
    state.upsert(cm('was-in-git', '1'), false);
    state.upsert(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', resourceVersion: '1' } },
      false,
    );
    assert.deepEqual(state.unmanaged('ConfigMap:app:hand'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'hand',
        namespace: 'app',
        uid: 'u1',
        creationTimestamp: '2026-12-01T10:00:00Z',
        managedFields: [{ manager: 'kubectl' }],
      },
    });
    assert.equal(state.get('ConfigMap:app:hand'), undefined, 'no body');
    assert.equal(state.unmanaged('ConfigMap:app:kube-root-ca.crt'), undefined);
    assert.equal(state.unmanaged('ConfigMap:app:owned'), undefined);
    assert.equal(state.unmanaged('ConfigMap:app:before'), undefined, 'listed before facts were kept');
    // Held whole while Git names it; once Git stops, its facts stay when it is slimmed.
    assert.equal(state.unmanaged('ConfigMap:app:was-in-git')?.['data'] !== undefined, true);
    tracked = new Set();
    state.compact();
    assert.equal(state.unmanaged('ConfigMap:app:was-in-git')?.['data'], undefined);
    assert.deepEqual([...state.unmanagedIds()].sort(), ['ConfigMap:app:hand', 'ConfigMap:app:was-in-git']);
  });
});

// The projection kept of tracked objects gives the engine's exact verdicts and revert plans: every
// fixture pair (live objects as kube-apiserver returned them) analysed from the object and from it.
describe('liveProjection', () => {
  it('drops status and last-applied, keeps managedFields and identity', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        uid: 'u1',
        resourceVersion: '7',
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":1}', keep: 'me' },
      },
      spec: { replicas: 2 },
      status: { replicas: 2 },
    } as KubeObject;
    const p = liveProjection(obj);
    assert.deepEqual(p, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...obj.metadata, annotations: { keep: 'me' } },
      spec: { replicas: 2 },
    });
    assert.ok('status' in obj, 'the object handed in is not changed');
    const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: {} } as KubeObject;
    assert.equal(liveProjection(plain), plain, 'nothing to drop: the same object');
  });

  for (const name of fixtureCases()) {
    it(`the same verdicts and revert plans from the projection: ${name}`, () => {
      const dir = join(TESTDATA, name);
      const live = liveObjects(join(dir, 'live.yaml'));
      const opts = defaultEngineOptions({ crdSchemas: liveCrdSchemas(live) });
      const parsed = parseManifests(
        [{ path: `${name}/desired.yaml`, content: readText(join(dir, 'desired.yaml')) }],
        opts,
      );
      const projected = live.map(liveProjection);
      assert.deepEqual(
        analyzeAll(parsed.objects, projected, opts, { gitCommit: 'c' }),
        analyzeAll(parsed.objects, live, opts, { gitCommit: 'c' }),
      );
      for (const d of parsed.objects) {
        const i = live.findIndex(
          (o) => o.kind === d.object.kind && o.metadata['name'] === d.object.metadata['name'],
        );
        if (i < 0) continue;
        assert.deepEqual(revertPlan(d, projected[i], opts), revertPlan(d, live[i], opts), d.id);
      }
    });
  }
});

// ignore_managers reads who owns a drifted field: the compacted managedFields (status part gone,
// trees shared) must give every rule naming any manager of the fixtures the same verdicts.
describe('liveProjection and ignore_managers', () => {
  for (const name of fixtureCases()) {
    it(`the same verdicts from the projection with a rule per manager: ${name}`, () => {
      const dir = join(TESTDATA, name);
      const live = liveObjects(join(dir, 'live.yaml'));
      const managers = new Set(
        live.flatMap((o) =>
          ((o.metadata['managedFields'] ?? []) as { manager?: string }[]).flatMap((m) =>
            m.manager ? [m.manager] : [],
          ),
        ),
      );
      const parsed = parseManifests(
        [{ path: `${name}/desired.yaml`, content: readText(join(dir, 'desired.yaml')) }],
        defaultEngineOptions(),
      );
      const projected = live.map(liveProjection);
      for (const manager of managers)
        for (const path of ['spec', 'metadata', 'spec.template', 'data']) {
          const opts = defaultEngineOptions({
            crdSchemas: liveCrdSchemas(live),
            rules: { ignore_managers: [{ path, managers: [manager] }] },
          });
          assert.deepEqual(
            analyzeAll(parsed.objects, projected, opts, { gitCommit: 'c' }),
            analyzeAll(parsed.objects, live, opts, { gitCommit: 'c' }),
            `${manager} under ${path}`,
          );
        }
    });
  }
});
