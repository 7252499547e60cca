// What a revert sends for an object that exists: its identity and the drifted fields only, in the
// server's spelling; what an earlier revert owns kept; conflicts told apart by whether they lie in
// the drifted fields. (The real API server's answer to these objects: test/plugin/revert-ssa.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { serverQuantity } from './canonical.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests, type DesiredObject } from './parse.ts';
import { conflictInside, keptFields, mergeApply } from './revert-apply.ts';
import { revertPlan } from './revert.ts';

const opts = defaultEngineOptions({ defaultNamespace: 'demo' });

const DESIRED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: demo, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: nginx:1.27
          resources: {limits: {cpu: 1, memory: 1Gi}}
          env:
            - name: POD
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
          ports: [{containerPort: 80}]
`;

function desired(text = DESIRED): DesiredObject {
  return parseManifests([{ path: 'd.yaml', content: text }], opts).objects[0] as DesiredObject;
}

/** The live object as the server stores the manifest, then `edit` applied. */
function live(edit: (spec: JsonObject, c: JsonObject) => void): KubeObject {
  const c: JsonObject = {
    name: 'api',
    image: 'nginx:1.27',
    resources: { limits: { cpu: '1', memory: '1Gi' } },
    env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  const spec: JsonObject = {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: { containers: [c], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    },
  };
  edit(spec, c);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'demo', labels: { app: 'api' }, resourceVersion: '9' },
    spec,
  };
}

const IDENTITY = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'demo' } };

describe('revert apply', () => {
  it('a kubectl scale drift sends replicas and nothing else', () => {
    const plan = revertPlan(
      desired(),
      live((s) => (s['replicas'] = 5)),
      opts,
    );
    assert.deepEqual(plan.drift_paths, ['spec.replicas']);
    assert.deepEqual(plan.apply, { ...IDENTITY, spec: { replicas: 2 } });
  });

  it('an image drift sends the container item (its key and image), not cpu or the fieldRef', () => {
    const plan = revertPlan(
      desired(),
      live((_s, c) => (c['image'] = 'nginx:1.28')),
      opts,
    );
    assert.deepEqual(plan.apply, {
      ...IDENTITY,
      spec: { template: { spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } } },
    });
  });

  it('a container put back whole is sent in the server spelling: cpu "1", fieldRef apiVersion v1, protocol TCP', () => {
    const plan = revertPlan(
      desired(),
      live((s) => ((s['template'] as { spec: JsonObject }).spec['containers'] = [])),
      opts,
    );
    const containers = (plan.apply['spec'] as { template: { spec: { containers: JsonObject[] } } }).template
      .spec.containers;
    assert.equal(containers.length, 1);
    const c = containers[0] as JsonObject;
    assert.deepEqual(c['resources'], { limits: { cpu: '1', memory: '1Gi' } });
    assert.deepEqual(c['env'], [
      { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ]);
    assert.deepEqual(c['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('a missing object is created whole, in the server spelling', () => {
    const plan = revertPlan(desired(), undefined, opts);
    assert.equal((plan.apply['spec'] as JsonObject)['replicas'], 2);
    assert.match(JSON.stringify(plan.apply), /"cpu":"1"/);
  });

  it('quantities as apimachinery prints them', () => {
    const cases: [string | number, string | number][] = [
      [1, '1'],
      [0.5, '500m'],
      ['1000m', '1'],
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      [1000, '1k'],
      ['1500M', '1500M'],
      ['512', '512'],
      ['0', '0'],
      ['100Ki', '100Ki'],
    ];
    for (const [input, want] of cases) assert.equal(serverQuantity(input), want, String(input));
  });

  it("keeps what an earlier revert owns (at the live value), merged by the lists' keys", () => {
    const l = live((s) => (s['replicas'] = 3));
    l.metadata['managedFields'] = [
      {
        manager: 'driftguard-revert',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"api"}': { '.': {}, 'f:image': {} } } },
            },
          },
        },
      },
      {
        manager: 'kubectl',
        operation: 'Update',
        subresource: 'scale',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];
    const kept = keptFields(l, 'driftguard-revert');
    assert.deepEqual(kept, {
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'nginx:1.27', name: 'api' }] } } },
    });
    const merged = mergeApply(kept, {
      ...IDENTITY,
      spec: { template: { spec: { containers: [{ name: 'api', image: 'nginx:1.29' }] } } },
    });
    assert.deepEqual(merged, {
      ...IDENTITY,
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'nginx:1.29', name: 'api' }] } } },
    });
    assert.deepEqual(keptFields(l, 'someone-else'), {});
  });

  it('tells conflicts inside the drifted fields from the others, as the API server names them', () => {
    const apply = {
      ...IDENTITY,
      metadata: { ...IDENTITY.metadata, labels: { 'app.kubernetes.io/name': 'api' } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ name: 'api', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
          },
        },
      },
    };
    for (const inside of [
      '.spec.replicas',
      '.spec.template.spec.containers[name="api"].image',
      '.spec.template.spec.containers[name="api"].ports[containerPort=80,protocol="TCP"]',
      '.metadata.labels.app.kubernetes.io/name',
    ])
      assert.equal(conflictInside(inside, apply), true, inside);
    for (const outside of [
      '.spec.template.spec.containers[name="api"].resources.limits.cpu',
      '.spec.template.spec.containers[name="web"].image',
      '.spec.paused',
      '.metadata.labels.app',
    ])
      assert.equal(conflictInside(outside, apply), false, outside);
  });
});
