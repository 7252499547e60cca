// The Kubernetes Event for a drift transition, from a real engine verdict: reason, type, object
// reference and a message with type, severity and manager, and for a Secret no value at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeResource, defaultEngineOptions, parseManifests } from '../../shared/engine/index.ts';
import type { JsonObject, JsonValue, KubeObject } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { driftEventObject } from './events.ts';

const opts = defaultEngineOptions();
const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:05:00.000Z';

function verdict(desiredYaml: string) {
  const [desired] = parseManifests([{ path: 'x.yaml', content: desiredYaml }], opts).objects;
  assert.ok(desired);
  return (l: KubeObject | undefined) => analyzeResource(desired, l, opts, { gitCommit: 'abcdef1234' });
}

const managed = (manager: string, fields: JsonObject): JsonValue[] => [
  { manager, operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: fields },
];

describe('drift Events', () => {
  it('a Secret change names the type, severity, manager and key, never a value', () => {
    const plain = 'hunter2-new-password';
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        uid: 'uid-1',
        managedFields: managed('kubectl-edit', { 'f:data': { 'f:password': {} } }),
      },
      type: 'Opaque',
      data: { password: Buffer.from(plain).toString('base64') },
    };
    const analyse = verdict(
      'apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: shop }\ntype: Opaque\nstringData: { password: old-password }\n',
    );
    const { record, event } = transition(null, analyse(live), T0, 'eu-west');
    assert.ok(event);
    const obj = driftEventObject(record, event, live, 'agent-0');
    const text = JSON.stringify(obj);
    for (const secret of [plain, 'old-password', Buffer.from(plain).toString('base64')])
      assert.ok(!text.includes(secret), `${secret} leaked`);
    for (const d of record.drift_details) {
      if (typeof d.live === 'string') assert.ok(!text.includes(d.live), 'no hash either');
    }
    assert.equal(obj['reason'], 'DriftDetected');
    assert.equal(obj['type'], 'Warning');
    assert.deepEqual(obj['involvedObject'], {
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'db',
      namespace: 'shop',
      uid: 'uid-1',
    });
    assert.match(
      String(obj['message']),
      /^SecretChange drift \(severity high, by kubectl-edit\) from Git abcdef1: password$/,
    );
    assert.equal(
      obj.metadata.annotations &&
        (obj.metadata.annotations as Record<string, string>)['driftguard.io/cluster'],
      'eu-west',
    );
  });

  it('a resolved Deployment drift is a Normal DriftResolved; the same transition gives the same name', () => {
    const desiredYaml =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\nspec:\n  replicas: 3\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: web:1 }] }\n';
    const live = (replicas: number): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        uid: 'u2',
        managedFields: managed('kubectl-scale', { 'f:spec': { 'f:replicas': {} } }),
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'web:1' }] },
        },
      },
    });
    const analyse = verdict(desiredYaml);
    const drifted = transition(null, analyse(live(5)), T0);
    assert.ok(drifted.event);
    const detected = driftEventObject(drifted.record, drifted.event, live(5), 'agent-0');
    assert.match(
      String(detected['message']),
      /^Scaling drift \(severity \w+, by kubectl-scale\) from Git abcdef1: .*replicas.*3.*5/,
    );
    // With audit events, the person: "changed by dev-1@example.com with kubectl-scale at 10:00".
    const author = {
      user: 'dev-1@example.com',
      groups: ['devs'],
      impersonated_by: null,
      user_agent: 'kubectl/v1.37.2',
      source_ips: ['10.0.0.7'],
      manager: 'kubectl-scale',
      verb: 'patch',
      time: T0,
      resource_version: null,
      audit_id: 'a1',
    };
    const named = driftEventObject({ ...drifted.record, changed_by: author }, drifted.event, live(5), 'a');
    assert.match(
      String(named['message']),
      /^Scaling drift \(severity \w+, changed by dev-1@example\.com with kubectl-scale at 10:00\) from Git abcdef1: /,
    );
    const back = transition(drifted.record, analyse(live(3)), T1);
    assert.ok(back.event);
    const resolved = driftEventObject(back.record, back.event, live(3), 'agent-0');
    assert.equal(resolved['reason'], 'DriftResolved');
    assert.equal(resolved['type'], 'Normal');
    assert.notEqual(resolved.metadata.name, detected.metadata.name);
    assert.equal(
      driftEventObject(back.record, back.event, live(3), 'agent-1').metadata.name,
      resolved.metadata.name,
    );
  });
});
