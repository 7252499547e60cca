// The unmanaged verdict: what the cluster makes by itself is never reported, a hand-made object is
// Unmanaged (low unless the rules say otherwise), a generator's left-over hash is Superseded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { defaultEngineOptions } from './options.ts';
import { clusterMade, declaredIndex, unmanagedFacts, unmanagedResult } from './unmanaged.ts';

const opts = defaultEngineOptions();
const obj = (kind: string, name: string, extra: JsonObject = {}, md: JsonObject = {}): KubeObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...md },
  ...extra,
});
const id = (o: KubeObject) => `${o.kind}:shop:${String(o.metadata['name'])}`;
const none = declaredIndex([]);

describe('unmanaged objects', () => {
  it('never reports what every cluster makes by itself', () => {
    const made = [
      obj('ConfigMap', 'kube-root-ca.crt'),
      obj('ServiceAccount', 'default'),
      obj('Secret', 'builder-token', { type: 'kubernetes.io/service-account-token' }),
      obj('Secret', 'sh.helm.release.v1.shop.v3', { type: 'helm.sh/release.v1' }),
      obj('ConfigMap', 'sh.helm.release.v1.shop.v3', {}, { labels: { owner: 'helm' } }),
      obj('Job', 'shop-migrate', {}, { annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade' } }),
      obj('Pod', 'shop-test', {}, { annotations: { 'helm.sh/hook': 'test' } }),
      obj('Pod', 'kube-apiserver-node1', {}, { ownerReferences: [{ kind: 'Node', name: 'node1' }] }),
      obj('Lease', 'driftguard-agent'),
      obj('Endpoints', 'web'),
      obj('EndpointSlice', 'web-abcde'),
      obj('ReplicaSet', 'web-5d8f7c9b4', {}, { ownerReferences: [{ kind: 'Deployment', name: 'web' }] }),
      obj('Job', 'nightly-29012', {}, { ownerReferences: [{ kind: 'CronJob', name: 'nightly' }] }),
      { ...obj('Service', 'kubernetes'), metadata: { name: 'kubernetes', namespace: 'default' } },
    ];
    for (const o of made) {
      assert.notEqual(clusterMade(o), null, `${o.kind}/${String(o.metadata['name'])}`);
      assert.equal(unmanagedFacts(o), null);
      assert.equal(unmanagedResult(id(o), o, none, opts, { gitCommit: 'c1' }), null);
    }
  });

  it('reports a hand-made object as Unmanaged, low, named by its creator', () => {
    const o = obj(
      'Deployment',
      'hand',
      {},
      {
        creationTimestamp: '2026-12-01T10:00:00Z',
        managedFields: [
          {
            manager: 'kube-controller-manager',
            operation: 'Update',
            subresource: 'status',
            time: '2026-12-01T10:00:00Z',
          },
          { manager: 'kubectl-edit', operation: 'Update', time: '2026-12-01T10:05:00Z' },
          { manager: 'kubectl-create', operation: 'Update', time: '2026-12-01T10:00:00Z' },
        ],
      },
    );
    const r = unmanagedResult(id(o), o, none, opts, { gitCommit: 'c1' });
    assert.equal(r?.drift_type, 'Unmanaged');
    assert.equal(r?.severity, 'low');
    assert.equal(r?.source_file, null);
    assert.equal(r?.drift_details[0]?.manager, 'kubectl-create');
    assert.equal(r?.drift_details[0]?.changed_at, '2026-12-01T10:00:00Z');
    // A Pod nothing owns was made by hand (kubectl run): Unmanaged like any other kind.
    const pod = obj('Pod', 'debug');
    assert.equal(unmanagedResult(id(pod), pod, none, opts, { gitCommit: 'c1' })?.drift_type, 'Unmanaged');
    // Declared in Git: not unmanaged.
    const declared = declaredIndex([{ id: id(o), kind: 'Deployment', namespace: 'shop', name: 'hand' }]);
    assert.equal(unmanagedResult(id(o), o, declared, opts, { gitCommit: 'c1' }), null);
    // Severity from the rules; a whole-object ignore rule silences it.
    const high = defaultEngineOptions({ rules: { severity: { Unmanaged: 'high' } } });
    assert.equal(unmanagedResult(id(o), o, none, high, { gitCommit: 'c1' })?.severity, 'high');
    const ignored = defaultEngineOptions({ rules: { ignore: [{ kind: 'Deployment', name: 'hand' }] } });
    assert.equal(unmanagedResult(id(o), o, none, ignored, { gitCommit: 'c1' }), null);
    // The slim facts the live cache keeps give the very same verdict as the whole object.
    const facts = unmanagedFacts({ ...o, spec: { replicas: 3 }, status: { replicas: 3 } });
    assert.deepEqual(Object.keys(facts ?? {}).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.deepEqual(
      facts && unmanagedResult(id(o), facts, none, opts, { gitCommit: 'c1' }),
      unmanagedResult(id(o), o, none, opts, { gitCommit: 'c1' }),
    );
    // A live-only spec change does not change the verdict's hash (only identity counts).
    const edited = { ...o, spec: { replicas: 9 } };
    assert.equal(
      unmanagedResult(id(edited), edited, none, opts, { gitCommit: 'c1' })?.live_hash,
      unmanagedResult(id(o), o, none, opts, { gitCommit: 'c1' })?.live_hash,
    );
  });

  it("never reports the PVCs a declared StatefulSet's controller made", () => {
    const sts = obj('StatefulSet', 'db', {
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
    });
    const declared = declaredIndex([
      { id: id(sts), kind: 'StatefulSet', namespace: 'shop', name: 'db', object: sts },
    ]);
    const claim = obj('PersistentVolumeClaim', 'data-db-0');
    assert.equal(unmanagedResult(id(claim), claim, declared, opts, { gitCommit: 'c1' }), null);
    // Another StatefulSet's claim, or one no ordinal ends: Unmanaged.
    for (const name of ['data-other-0', 'data-db-x'])
      assert.equal(
        unmanagedResult(
          id(obj('PersistentVolumeClaim', name)),
          obj('PersistentVolumeClaim', name),
          declared,
          opts,
          {
            gitCommit: 'c1',
          },
        )?.drift_type,
        'Unmanaged',
      );
  });

  it('reports an earlier hash of a declared Kustomize generator as Superseded, not Unmanaged', () => {
    const declared = declaredIndex([
      {
        id: 'ConfigMap:shop:app-config-7g2c9m5tbk',
        kind: 'ConfigMap',
        namespace: 'shop',
        name: 'app-config-7g2c9m5tbk',
      },
    ]);
    const old = obj('ConfigMap', 'app-config-5h8b2d4f6g');
    const r = unmanagedResult(id(old), old, declared, opts, { gitCommit: 'c1' });
    assert.equal(r?.drift_type, 'Superseded');
    assert.equal(r?.severity, 'low');
    assert.equal(r?.drift_details[0]?.desired, 'app-config-7g2c9m5tbk');
    // Created after the declared hash's live object: a newer hash Git does not hold yet.
    const at = (t: string) => obj('ConfigMap', 'app-config-5h8b2d4f6g', {}, { creationTimestamp: t });
    const createdAt = (cid: string) =>
      cid === 'ConfigMap:shop:app-config-7g2c9m5tbk' ? '2026-12-01T10:00:00Z' : undefined;
    const verdict = (t: string) =>
      unmanagedResult(id(at(t)), at(t), declared, opts, { gitCommit: 'c1', createdAt })?.drift_type;
    assert.equal(verdict('2026-12-01T09:00:00Z'), 'Superseded');
    assert.equal(verdict('2026-12-01T11:00:00Z'), 'Unmanaged');
    // Same base in another kind, or a name that is not a generator hash: Unmanaged.
    const secret = obj('Secret', 'app-config-5h8b2d4f6g');
    assert.equal(
      unmanagedResult(id(secret), secret, declared, opts, { gitCommit: 'c1' })?.drift_type,
      'Unmanaged',
    );
    const plain = obj('ConfigMap', 'app-config-extra');
    assert.equal(
      unmanagedResult(id(plain), plain, declared, opts, { gitCommit: 'c1' })?.drift_type,
      'Unmanaged',
    );
  });
});
