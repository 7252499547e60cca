import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../types.ts';
import { isClusterScoped, objectId } from './identity.ts';
import { formatPath, getAt, keyedItems, pathHasPrefix, setAt, type Segment } from './path.ts';

describe('paths and identity', () => {
  const segs: Segment[] = [
    { field: 'spec' },
    { field: 'template' },
    { field: 'spec' },
    { field: 'containers' },
    { key: { name: 'web' }, label: 'name=web' },
    { field: 'image' },
  ];
  it('formats paths with keys and quoted map keys', () => {
    assert.equal(formatPath(segs), 'spec.template.spec.containers[name=web].image');
    assert.equal(
      formatPath([{ field: 'metadata' }, { field: 'labels' }, { field: 'app.kubernetes.io/name' }]),
      'metadata.labels["app.kubernetes.io/name"]',
    );
    assert.equal(formatPath([{ field: 'data' }, { field: 'password' }]), 'data.password');
  });
  it('prefix matching is segment-aligned and accepts the dotted form', () => {
    assert.ok(pathHasPrefix(segs, 'spec.template'));
    assert.ok(pathHasPrefix(segs, 'spec.template.spec.containers'));
    assert.ok(pathHasPrefix(segs, 'spec.template.spec.containers[name=web]'));
    assert.ok(!pathHasPrefix(segs, 'spec.temp'));
    assert.ok(
      pathHasPrefix(
        [{ field: 'metadata' }, { field: 'annotations' }, { field: 'example.com/x' }],
        'metadata.annotations.example.com/x',
      ),
    );
    assert.ok(pathHasPrefix([{ field: 'spec' }, { field: 'replicas' }], ''));
  });
  it('keys lists by merge key; protocol TCP is implied; duplicates fall back to whole-list', () => {
    const ports = keyedItems(
      [{ containerPort: 80 }, { containerPort: '53', protocol: 'UDP' }],
      [{ field: 'ports' }],
      'Pod',
    );
    assert.deepEqual(
      ports?.map((p) => p.seg.label),
      ['containerPort=80', 'containerPort=53,protocol=UDP'],
    );
    assert.equal(keyedItems([{ name: 'a' }, { name: 'a' }], [{ field: 'containers' }], 'Pod'), null);
    assert.equal(keyedItems([{ key: 'x', operator: 'Exists' }], [{ field: 'tolerations' }], 'Pod'), null);
    const svc = keyedItems([{ port: 80, name: 'http' }], [{ field: 'spec' }, { field: 'ports' }], 'Service');
    assert.equal(svc?.[0]?.seg.label, 'port=80');
  });
  it('getAt / setAt follow keyed segments', () => {
    const o: JsonObject = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'side', image: 'a' },
              { name: 'web', image: 'b' },
            ],
          },
        },
      },
    };
    assert.equal(getAt(o, segs, 'Deployment'), 'b');
    assert.ok(setAt(o, segs, 'Deployment', 'c'));
    assert.equal(getAt(o, segs, 'Deployment'), 'c');
    assert.ok(setAt(o, segs.slice(0, 5), 'Deployment', undefined));
    assert.equal(getAt(o, segs, 'Deployment'), undefined);
    assert.ok(setAt(o, [{ field: 'metadata' }, { field: 'labels' }, { field: 'a' }], 'Deployment', 'b'));
    assert.deepEqual(o['metadata'], { labels: { a: 'b' } });
  });
  it('identity', () => {
    assert.equal(
      objectId({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      'ConfigMap:default:x',
    );
    assert.equal(
      objectId({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'demo'),
      'ConfigMap:demo:x',
    );
    assert.equal(
      objectId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', namespace: 'x' } }),
      'Namespace::demo',
    );
    for (const k of [
      'Namespace',
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'PersistentVolume',
      'StorageClass',
      'Node',
      'PriorityClass',
      'IngressClass',
      'ValidatingWebhookConfiguration',
      'MutatingWebhookConfiguration',
      'APIService',
      'CSIDriver',
      'RuntimeClass',
    ])
      assert.ok(isClusterScoped(k), k);
    assert.ok(!isClusterScoped('Deployment'));
  });
});
