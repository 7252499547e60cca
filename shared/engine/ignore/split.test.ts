// A rule naming a field under a difference that exists on one side only (a whole map or list item
// added or removed live): the difference is split, the covered parts are not drift, the rest is
// reported part by part; when no part is covered it reads as before, whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../../types.ts';
import { analyzeResource } from '../analyze.ts';
import { defaultEngineOptions, type EngineRules } from '../options.ts';
import { parseManifests, type DesiredObject } from '../parse.ts';
import { emptyHits } from './apply.ts';

const GIT: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop' },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
};

/** Git's Pod changed by `edit`, every change written by kubectl-edit (`owned`: its fieldsV1 under spec). */
function live(edit: (spec: JsonObject) => void, owned: JsonObject, from: KubeObject = GIT): KubeObject {
  const o = structuredClone(from) as KubeObject & { spec: JsonObject };
  edit(o.spec);
  o.metadata['managedFields'] = [
    {
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-12-06T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': owned },
    },
  ];
  return o;
}

const desiredOf = (o: KubeObject): DesiredObject =>
  parseManifests([{ path: 'p.yaml', content: JSON.stringify(o) }], { defaultNamespace: 'default' })
    .objects[0] as DesiredObject;

function analyze(git: KubeObject, l: KubeObject, rules: EngineRules) {
  const hits = emptyHits();
  const r = analyzeResource(desiredOf(git), l, defaultEngineOptions({ rules }), { gitCommit: null, hits });
  return { paths: r.drift_details.map((d) => d.path).sort(), hits: [...hits.rules.values()], r };
}

const securityContext = live((s) => (s['securityContext'] = { runAsUser: 1000, fsGroup: 2000 }), {
  'f:securityContext': { '.': {}, 'f:runAsUser': {}, 'f:fsGroup': {} },
});

describe('a rule deeper than a one-sided difference', () => {
  it('without the rule a map added live is one difference', () => {
    assert.deepEqual(analyze(GIT, securityContext, {}).paths, ['spec.securityContext']);
  });

  it('splits it: the covered entry is not drift, the other is reported alone', () => {
    const a = analyze(GIT, securityContext, { ignore: [{ path: 'spec.securityContext.runAsUser' }] });
    assert.deepEqual(a.paths, ['spec.securityContext.fsGroup']);
    assert.deepEqual(a.hits, [1]);
    assert.equal(a.r.drift_details[0]?.live, 2000);
    assert.equal(a.r.drift_details[0]?.desired, null);
  });

  it('every entry covered: no drift, and live hashes as Git', () => {
    const rules = {
      ignore: [{ path: 'spec.securityContext.runAsUser' }, { path: 'spec.securityContext.fsGroup' }],
    };
    const a = analyze(GIT, securityContext, rules);
    assert.deepEqual(a.paths, []);
    assert.equal(a.r.drift_detected, false);
    assert.equal(a.r.live_hash, a.r.desired_hash);
    assert.deepEqual(a.hits, [1, 1]);
  });

  it('a map removed live (Git has it) splits the same way', () => {
    const git = structuredClone(GIT) as KubeObject & { spec: JsonObject };
    git.spec['securityContext'] = { runAsUser: 1000 };
    const removed = live((s) => delete s['securityContext'], {}, git);
    assert.deepEqual(analyze(git, removed, {}).paths, ['spec.securityContext']);
    assert.deepEqual(
      analyze(git, removed, { ignore: [{ path: 'spec.securityContext.runAsUser' }] }).paths,
      [],
    );
  });

  it("a list item added live: a rule on a field of it covers it when the rest is the item's key", () => {
    const injected = live(
      (s) => (s['containers'] as JsonObject[]).push({ name: 'istio-proxy', image: 'proxyv2:1.24' }),
      { 'f:containers': { 'k:{"name":"istio-proxy"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
    );
    const image = 'spec.containers[name=istio-proxy].image';
    assert.deepEqual(analyze(GIT, injected, {}).paths, ['spec.containers[name=istio-proxy]']);
    assert.deepEqual(analyze(GIT, injected, { ignore: [{ path: image }] }).paths, []);
    // Nested: an item inside a map added live, reached through both.
    const withArgs = live(
      (s) =>
        (s['containers'] as JsonObject[]).push({ name: 'istio-proxy', image: 'proxyv2:1.24', args: ['x'] }),
      {
        'f:containers': {
          'k:{"name":"istio-proxy"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:args': {} },
        },
      },
    );
    assert.deepEqual(analyze(GIT, withArgs, { ignore: [{ path: image }] }).paths, [
      'spec.containers[name=istio-proxy].args',
    ]);
  });

  it('a deeper rule covering no part leaves the difference whole', () => {
    const a = analyze(GIT, securityContext, { ignore: [{ path: 'spec.securityContext.seLinuxOptions' }] });
    assert.deepEqual(a.paths, ['spec.securityContext']);
    assert.deepEqual(a.hits, []);
    // Nor does a rule whose manager did not write the part split it.
    const b = analyze(GIT, securityContext, {
      ignore: [{ path: 'spec.securityContext.runAsUser', managers: ['someone-else'] }],
    });
    assert.deepEqual(b.paths, ['spec.securityContext']);
  });
});
