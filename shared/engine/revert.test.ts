// The revert plan on the engine's real fixture pairs: views that differ exactly at the drift
// fields, prune fields resolved to JSON pointers in the live object, fields an autoscaler owns left
// out of what a revert applies, and Secret values in no view.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { analyzeResource } from './analyze.ts';
import { clone, obj } from './json.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests, type DesiredObject } from './parse.ts';
import { jsonPointer, REDACTED_AFTER, REDACTED_BEFORE, revertPlan } from './revert.ts';
import { liveObjects, readText, TESTDATA } from '../../test/engine/testdata/fixtures.ts';

const opts = defaultEngineOptions({ defaultNamespace: 'default' });

function fixture(name: string): { desired: DesiredObject[]; live: KubeObject[] } {
  const dir = join(TESTDATA, name);
  return {
    desired: parseManifests([{ path: 'd.yaml', content: readText(join(dir, 'desired.yaml')) }], opts).objects,
    live: liveObjects(join(dir, 'live.yaml')),
  };
}

function liveFor(live: KubeObject[], d: DesiredObject): KubeObject | undefined {
  return live.find(
    (l) =>
      l.kind === d.object.kind &&
      l.metadata['name'] === d.object.metadata['name'] &&
      l.metadata['namespace'] === d.object.metadata['namespace'],
  );
}

describe('revert plan', () => {
  const services = fixture('services-drifted');

  it('marks the same fields as the verdict and only those differ between the views', () => {
    for (const d of services.desired) {
      const live = liveFor(services.live, d);
      const plan = revertPlan(d, live, opts);
      const verdict = analyzeResource(d, live, opts, { gitCommit: null });
      assert.equal(plan.drift_detected, verdict.drift_detected, d.id);
      assert.deepEqual(
        plan.drift_paths,
        verdict.drift_details.map((x) => x.path),
        d.id,
      );
      if (!verdict.drift_detected) assert.deepEqual(plan.live_view, plan.desired_view, d.id);
      else assert.notDeepEqual(plan.live_view, plan.desired_view, d.id);
    }
  });

  it('lists fields the cluster added as prune fields with a JSON pointer into the live object', () => {
    const d = services.desired.find((x) => x.id === 'Service:demo:api') as DesiredObject;
    const live = liveFor(services.live, d) as KubeObject;
    const plan = revertPlan(d, live, opts);
    assert.deepEqual(
      plan.prune.map((p) => p.path),
      ['spec.ports[port=6060]', 'spec.sessionAffinity'],
    );
    const ports = obj(live, 'spec')?.['ports'] as JsonObject[];
    const idx = ports.findIndex((p) => p['port'] === 6060);
    assert.ok(idx >= 0);
    assert.equal(jsonPointer(live, plan.prune[0]?.segments ?? [], 'Service'), `/spec/ports/${idx}`);
    assert.equal(jsonPointer(live, plan.prune[1]?.segments ?? [], 'Service'), '/spec/sessionAffinity');
    assert.equal(jsonPointer(live, [{ field: 'nope' }], 'Service'), null);
    // A changed field (nodePort) is not a prune field: the apply sets it back.
    const frontend = services.desired.find((x) => x.id === 'Service:demo:frontend') as DesiredObject;
    assert.deepEqual(revertPlan(frontend, liveFor(services.live, frontend), opts).prune, []);
  });

  it('applies the declared object without status and shows a missing object with no live view', () => {
    const d = services.desired[0] as DesiredObject;
    const plan = revertPlan(d, undefined, opts);
    assert.equal(plan.live_view, null);
    assert.equal(plan.drift_detected, true);
    assert.equal(plan.apply['status'], undefined);
    assert.equal(plan.apply.metadata['name'], d.object.metadata['name']);
  });

  it('leaves replicas an autoscaler owns out of the applied object', () => {
    const dir = join(TESTDATA, 'deployment-in-sync');
    const d = parseManifests([{ path: 'f.yaml', content: readText(join(dir, 'desired.yaml')) }], opts)
      .objects[0] as DesiredObject;
    const live = clone(liveObjects(join(dir, 'live.yaml'))[0] as KubeObject);
    (live['spec'] as JsonObject)['replicas'] = 7;
    (live.metadata['managedFields'] as JsonObject[]).push({
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      manager: 'horizontal-pod-autoscaler',
      operation: 'Update',
      time: '2026-11-21T10:00:00Z',
      subresource: 'scale',
    });
    assert.notEqual(obj(d.object, 'spec')?.['replicas'], undefined, 'the fixture declares replicas');
    const plan = revertPlan(d, live, opts);
    assert.equal(plan.drift_detected, false);
    assert.equal(obj(plan.apply, 'spec')?.['replicas'], undefined);
    // A person scaling it is drift, and the apply puts replicas back.
    (live.metadata['managedFields'] as JsonObject[]).at(-1)!['manager'] = 'kubectl-scale';
    const byHand = revertPlan(d, live, opts);
    assert.deepEqual(byHand.drift_paths, ['spec.replicas']);
    assert.equal(obj(byHand.apply, 'spec')?.['replicas'], obj(d.object, 'spec')?.['replicas']);
  });

  it('never shows a Secret value, and withholds them from the apply when asked', () => {
    const desiredYaml = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: creds, namespace: shop}',
      'stringData: {password: hunter2-desired, user: admin}',
    ].join('\n');
    const d = parseManifests([{ path: 's.yaml', content: desiredYaml }], opts).objects[0] as DesiredObject;
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'creds', namespace: 'shop', resourceVersion: '5', managedFields: [] },
      data: { password: b64('hunter2-live'), user: b64('admin') },
    };
    const plan = revertPlan(d, live, opts);
    assert.deepEqual(plan.drift_paths, ['data.password']);
    assert.equal(obj(plan.desired_view, 'data')?.['password'], REDACTED_AFTER);
    assert.equal(obj(plan.live_view ?? {}, 'data')?.['password'], REDACTED_BEFORE);
    assert.equal(obj(plan.live_view ?? {}, 'data')?.['user'], '(redacted)');
    const views = JSON.stringify([plan.desired_view, plan.live_view]);
    for (const secret of ['hunter2', b64('hunter2-live'), b64('hunter2-desired'), b64('admin'), 'sha256:'])
      assert.ok(!views.includes(secret), `views contain ${secret}`);
    assert.equal(plan.secret_values_withheld, false);
    // A local revert applies the drifted value only, as the server stores it (data, base64).
    assert.deepEqual(plan.apply, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'shop' },
      data: { password: b64('hunter2-desired') },
    });
    const served = revertPlan(d, live, opts, { withholdSecretValues: true });
    assert.equal(served.secret_values_withheld, true);
    assert.ok(!JSON.stringify(served).includes('hunter2'));
    assert.ok(!JSON.stringify(served).includes(b64('hunter2-live')));
  });
});
