// The confirm stage on its own (pure): the server's answer is a stand-in here, built as the real
// server answers (test/confirm/ proves the stage against a real API server with real admission).
// Each row changes live as admission or a person would, and the answer as admission would.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DriftResult, JsonObject, KubeObject } from '../types.ts';
import { analyzeResource, hasSuspectedDrift } from './analyze.ts';
import type { ConfirmAnswer } from './confirm.ts';
import { obj } from './json.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests, type DesiredObject } from './parse.ts';
import { liveObjects, readText, TESTDATA } from '../../test/engine/testdata/fixtures.ts';

const dir = join(TESTDATA, 'deployment-in-sync');
const desired = parseManifests([{ path: 'frontend.yaml', content: readText(join(dir, 'desired.yaml')) }], {
  defaultNamespace: 'default',
}).objects[0] as DesiredObject;
const baseLive = liveObjects(join(dir, 'live.yaml'))[0] as KubeObject;
const opts = defaultEngineOptions();
const ctx = { gitCommit: null };
const C = 'spec.template.spec.containers[name=podinfo]';

function wrote(live: KubeObject, manager: string, fieldsV1: JsonObject): void {
  (live.metadata['managedFields'] as JsonObject[]).push({
    apiVersion: 'apps/v1',
    fieldsType: 'FieldsV1',
    fieldsV1,
    manager,
    operation: 'Update',
    time: '2026-11-21T10:00:00Z',
  });
}
function podinfo(o: KubeObject): JsonObject {
  const spec = obj(obj(obj(o, 'spec'), 'template'), 'spec') as JsonObject;
  return (spec['containers'] as JsonObject[]).find((c) => c['name'] === 'podinfo') as JsonObject;
}
const podinfoField = (f: JsonObject): JsonObject => ({
  'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"podinfo"}': f } } } },
});
/** The server's answer to a dry-run create of Git's object: live as it was made, another name. */
function answerFrom(live: KubeObject, change: (a: KubeObject) => void = () => {}): ConfirmAnswer {
  const a = structuredClone(live);
  a.metadata['name'] = 'frontend-x7k2p';
  a.metadata['managedFields'] = [];
  change(a);
  return { ok: true, object: a };
}
const MIRROR = 'mirror.example.com/';
const mirror = (o: KubeObject) => {
  podinfo(o)['image'] = MIRROR + String(podinfo(o)['image']);
};
/** Admission prefixed the image on the way in: live holds the mirror's image, written by the applier. */
function mirroredLive(): KubeObject {
  const l = structuredClone(baseLive);
  mirror(l);
  wrote(l, 'kubectl-client-side-apply', podinfoField({ 'f:image': {} }));
  return l;
}

function check(r: DriftResult, expected: { path: string; type: string; confirmed: boolean }[]): void {
  assert.deepEqual(
    r.drift_details.map((d) => ({ path: d.path, type: d.type, confirmed: d.confirmed })),
    expected,
  );
}

describe('confirm stage', () => {
  it('a field admission rewrote is explained, not drift, and the verdict is in sync with equal hashes', () => {
    const live = mirroredLive();
    const suspected = analyzeResource(desired, live, opts, ctx);
    assert.equal(suspected.drift_type, 'VersionChange', 'the normaliser alone suspects it');
    assert.ok(hasSuspectedDrift(suspected));
    const r = analyzeResource(desired, live, opts, ctx, answerFrom(live));
    assert.equal(r.drift_detected, false);
    assert.equal(r.live_hash, r.desired_hash);
    assert.deepEqual(r.explained, [
      {
        path: `${C}.image`,
        desired: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        live: `${MIRROR}ghcr.io/stefanprodan/podinfo:6.7.1`,
      },
    ]);
  });

  it('a person changing a field admission also writes is still drift, of the right type, confirmed', () => {
    const live = mirroredLive();
    podinfo(live)['image'] = `${MIRROR}ghcr.io/stefanprodan/podinfo:6.8.0`;
    const answer = answerFrom(mirroredLive());
    const r = analyzeResource(desired, live, opts, ctx, answer);
    check(r, [{ path: `${C}.image`, type: 'VersionChange', confirmed: true }]);
    assert.equal(r.explained, undefined);
  });

  it('a label added by hand stays drift: the answer (Git plus admission) does not have it', () => {
    const live = structuredClone(baseLive);
    (live.metadata['labels'] as JsonObject)['team'] = 'x';
    wrote(live, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
    const r = analyzeResource(desired, live, opts, ctx, answerFrom(baseLive));
    check(r, [{ path: 'metadata.labels.team', type: 'LabelChange', confirmed: true }]);
  });

  it('from the server-side apply fallback: a field Git sets is confirmed, one it does not set is not', () => {
    // The apply dry-run answers onto live: the hand-added label comes back as live has it, the
    // hand-changed image as Git (and admission) make it.
    const live = mirroredLive();
    podinfo(live)['image'] = `${MIRROR}ghcr.io/stefanprodan/podinfo:6.8.0`;
    (live.metadata['labels'] as JsonObject)['team'] = 'x';
    wrote(live, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
    const applied = answerFrom(mirroredLive(), (a) => {
      (a.metadata['labels'] as JsonObject)['team'] = 'x';
    });
    assert.ok(applied.ok);
    const refused = 'dry-run refused: HTTP 422 Invalid: provided port is already allocated';
    const r = analyzeResource(desired, live, opts, ctx, { ...applied, via: 'apply', refused });
    check(r, [
      { path: 'metadata.labels.team', type: 'LabelChange', confirmed: false },
      { path: `${C}.image`, type: 'VersionChange', confirmed: true },
    ]);
    const label = r.drift_details.find((d) => d.path === 'metadata.labels.team');
    assert.match(label?.confirm_reason ?? '', /provided port is already allocated; the server-side apply/);
  });

  it('a label and a sidecar admission added are explained; the hand-set env var beside them is not', () => {
    const admitted = (o: KubeObject) => {
      (o.metadata['labels'] as JsonObject)['policy'] = 'on';
      const spec = obj(obj(obj(o, 'spec'), 'template'), 'spec') as JsonObject;
      (spec['containers'] as JsonObject[]).push({
        name: 'proxy',
        image: 'proxy:1',
        terminationMessagePolicy: 'File',
      });
    };
    const live = structuredClone(baseLive);
    admitted(live);
    wrote(live, 'kubectl-client-side-apply', {
      'f:metadata': { 'f:labels': { 'f:policy': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { '.': {} } } } } },
    });
    (podinfo(live)['env'] as JsonObject[]).push({ name: 'DEBUG', value: '1' });
    wrote(
      live,
      'kubectl-set',
      podinfoField({ 'f:env': { 'k:{"name":"DEBUG"}': { '.': {}, 'f:name': {}, 'f:value': {} } } }),
    );
    const r = analyzeResource(desired, live, opts, ctx, answerFrom(baseLive, admitted));
    check(r, [{ path: `${C}.env[name=DEBUG]`, type: 'ConfigurationChange', confirmed: true }]);
    assert.deepEqual(
      r.explained?.map((e) => e.path),
      ['metadata.labels.policy', 'spec.template.spec.containers[name=proxy]'],
    );
  });

  it('inside a structure admission added, only what a person changed is drift, field by field', () => {
    const sidecar = (o: KubeObject, env?: JsonObject[]) => {
      const spec = obj(obj(obj(o, 'spec'), 'template'), 'spec') as JsonObject;
      (spec['containers'] as JsonObject[]).push({ name: 'proxy', image: 'proxy:1', ...(env ? { env } : {}) });
    };
    const live = structuredClone(baseLive);
    sidecar(live, [{ name: 'DEBUG', value: '1' }]);
    wrote(live, 'kubectl-set', {
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { 'f:env': {} } } } } },
    });
    const r = analyzeResource(
      desired,
      live,
      opts,
      ctx,
      answerFrom(baseLive, (a) => sidecar(a)),
    );
    check(r, [
      {
        path: 'spec.template.spec.containers[name=proxy].env[name=DEBUG]',
        type: 'ConfigurationChange',
        confirmed: true,
      },
    ]);
    assert.equal(r.drift_details[0]?.manager, 'kubectl-set');
  });

  it('no answer (refused, unreachable, off) keeps the normaliser verdict, each detail unconfirmed with why', () => {
    const live = mirroredLive();
    const plain = analyzeResource(desired, live, opts, ctx);
    const reason = 'dry-run refused: admission webhook "audit.example.com" does not support dry run';
    const r = analyzeResource(desired, live, opts, ctx, { ok: false, reason });
    assert.equal(r.drift_type, plain.drift_type);
    assert.equal(r.live_hash, plain.live_hash);
    assert.deepEqual(
      r.drift_details.map((d) => ({ ...d, confirmed: undefined, confirm_reason: undefined })),
      plain.drift_details.map((d) => ({ ...d, confirmed: undefined, confirm_reason: undefined })),
    );
    assert.ok(r.drift_details.every((d) => d.confirmed === false && d.confirm_reason === reason));
  });

  it('never invents drift: where the answer differs from live but nothing was suspected, the object stays in sync', () => {
    const answer = answerFrom(baseLive, (a) => {
      (a.metadata['labels'] as JsonObject)['only-in-answer'] = 'x';
      podinfo(a)['image'] = 'other:1';
    });
    const r = analyzeResource(desired, baseLive, opts, ctx, answer);
    assert.equal(r.drift_detected, false);
    assert.equal(r.live_hash, r.desired_hash);
    assert.equal(hasSuspectedDrift(r), false);
  });

  it('Missing is not confirmed by a dry-run: no live object, nothing to compare', () => {
    const r = analyzeResource(desired, undefined, opts, ctx, answerFrom(baseLive));
    assert.equal(r.drift_type, 'Missing');
    assert.equal(hasSuspectedDrift(r), false);
  });
});
