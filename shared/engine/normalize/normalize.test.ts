// Every normaliser earns its place: with all of them the in-sync fixtures (real API server output)
// compare equal; without any single one, some fixture drifts. Plus a table of individual defaults.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue, KubeObject } from '../../types.ts';
import { ownAll } from '../../../test/engine/bench.ts';
import { diffObjects } from '../diff.ts';
import { stableHash } from '../hash.ts';
import { defaultEngineOptions } from '../options.ts';
import { parseManifests } from '../parse.ts';
import {
  fixtureCases,
  liveCrdSchemas,
  liveObjects,
  readText,
  TESTDATA,
} from '../../../test/engine/testdata/fixtures.ts';
import { normalizePair, NORMALIZERS, type Normalizer } from './index.ts';
import { defaultPullPolicy } from './pod-spec.ts';

const inSync = fixtureCases().filter((n) => n.endsWith('-in-sync'));
const allLive = inSync.flatMap((name) => liveObjects(join(TESTDATA, name, 'live.yaml')));
const opts = defaultEngineOptions({ crdSchemas: liveCrdSchemas(allLive) });
const pairs: { desired: KubeObject; live: KubeObject }[] = [];
for (const name of inSync) {
  const dir = join(TESTDATA, name);
  const desired = parseManifests(
    [{ path: 'd.yaml', content: readText(join(dir, 'desired.yaml')) }],
    opts,
  ).objects;
  const live = liveObjects(join(dir, 'live.yaml'));
  for (const d of desired) {
    const l = live.find((o) => o.kind === d.object.kind && o.metadata['name'] === d.object.metadata['name']);
    if (l) pairs.push({ desired: d.object, live: l });
  }
}

function differs(normalizers: readonly Normalizer[]): string[] {
  const out: string[] = [];
  for (const p of pairs) {
    const n = normalizePair(p.desired, p.live, opts, normalizers);
    const live = n.live as KubeObject;
    const details = diffObjects(n.desired, live);
    if (details.length > 0 || stableHash(n.desired as JsonValue) !== stableHash(live as JsonValue)) {
      out.push(
        `${p.desired.kind}/${String(p.desired.metadata['name'])}: ${details.map((d) => d.path).join(', ')}`,
      );
    }
  }
  return out;
}

describe('normaliser pipeline', () => {
  it('in-sync fixtures are equal with every normaliser', () => {
    assert.ok(pairs.length >= 14, `fixture pairs: ${pairs.length}`);
    assert.deepEqual(differs(NORMALIZERS), []);
  });
  // Proven elsewhere: unowned-live-fields by the drift table (analyze.test.ts: unowned live-only
  // label), pull-policy-at-write and job-labels-from-template by the drifted fixtures
  // set-image-untagged-drifted and job-label-added-drifted (and the defaults oracle).
  const provenElsewhere = ['unowned-live-fields', 'pull-policy-at-write', 'job-labels-from-template'];
  for (const n of NORMALIZERS.filter((x) => !provenElsewhere.includes(x.name))) {
    it(`without ${n.name}, some in-sync fixture drifts`, () => {
      assert.notDeepEqual(differs(NORMALIZERS.filter((x) => x !== n)), []);
    });
  }
});

// Each row: a desired and a live fragment of one kind; `equal` says whether they must compare equal.
const D = (kind: string, body: JsonObject): KubeObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: { name: 'x', namespace: 'default' },
  ...body,
});
const pod = (spec: JsonObject): JsonObject => ({
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } },
});

const cases: { name: string; kind: string; desired: JsonObject; live: JsonObject; equal: boolean }[] = [
  {
    name: 'quantity 1000m = 1',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1000m' } } }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: 1 } } }] } },
    equal: true,
  },
  {
    name: 'quantity 0.5 = 500m',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: 0.5 } } }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: '500m' } } }] } },
    equal: true,
  },
  {
    name: 'quantity 1Gi = 1024Mi',
    kind: 'Pod',
    desired: {
      spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1Gi' } } }] },
    },
    live: {
      spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1024Mi' } } }] },
    },
    equal: true,
  },
  {
    name: 'quantity 1000M = 1G',
    kind: 'Pod',
    desired: {
      spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1000M' } } }] },
    },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1G' } } }] } },
    equal: true,
  },
  {
    name: 'quantity 1G != 1Gi',
    kind: 'Pod',
    desired: {
      spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1G' } } }] },
    },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { memory: '1Gi' } } }] } },
    equal: false,
  },
  {
    name: 'quantity 0.1 + no float error (100m)',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: 0.1 } } }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: '100m' } } }] } },
    equal: true,
  },
  {
    name: 'emptyDir sizeLimit spelled differently',
    kind: 'Pod',
    desired: { spec: { volumes: [{ name: 'c', emptyDir: { sizeLimit: '0.5Gi' } }] } },
    live: { spec: { volumes: [{ name: 'c', emptyDir: { sizeLimit: '512Mi' } }] } },
    equal: true,
  },
  {
    name: 'imagePullPolicy Always is the default for :latest',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } },
    live: { spec: { containers: [{ name: 'a', image: 'nginx:latest', imagePullPolicy: 'Always' }] } },
    equal: true,
  },
  {
    name: 'imagePullPolicy Always is the default for an untagged image',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'nginx' }] } },
    live: { spec: { containers: [{ name: 'a', image: 'nginx', imagePullPolicy: 'Always' }] } },
    equal: true,
  },
  {
    name: 'probe defaults + httpGet scheme + grpc/tcp',
    kind: 'Pod',
    desired: {
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            livenessProbe: { tcpSocket: { port: '80' } },
            startupProbe: { httpGet: { port: 80 } },
          },
        ],
      },
    },
    live: {
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            livenessProbe: {
              tcpSocket: { port: 80 },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            startupProbe: {
              httpGet: { port: 80, scheme: 'HTTP' },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
          },
        ],
      },
    },
    equal: true,
  },
  {
    name: 'changed probe period is drift',
    kind: 'Pod',
    desired: {
      spec: { containers: [{ name: 'a', image: 'x:1', livenessProbe: { tcpSocket: { port: 80 } } }] },
    },
    live: {
      spec: {
        containers: [
          { name: 'a', image: 'x:1', livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 20 } },
        ],
      },
    },
    equal: false,
  },
  {
    name: 'fieldRef apiVersion v1 (env and downwardAPI)',
    kind: 'Pod',
    desired: {
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
        volumes: [
          { name: 'p', downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
      },
    },
    live: {
      spec: {
        containers: [
          {
            name: 'a',
            image: 'x:1',
            env: [{ name: 'N', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
          },
        ],
        volumes: [
          {
            name: 'p',
            downwardAPI: {
              defaultMode: 420,
              items: [{ path: 'l', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }],
            },
          },
        ],
      },
    },
    equal: true,
  },
  {
    name: 'octal defaultMode 0644 in YAML is 420',
    kind: 'Pod',
    desired: { spec: { volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 420 } }] } },
    live: { spec: { volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 420 } }] } },
    equal: true,
  },
  {
    name: 'defaultMode 0600 (384) vs default is drift',
    kind: 'Pod',
    desired: { spec: { volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 384 } }] } },
    live: { spec: { volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 420 } }] } },
    equal: false,
  },
  {
    name: 'container resources {} vs absent',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1' }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1', resources: {} }] } },
    equal: true,
  },
  {
    name: 'empty env list vs absent',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1', env: [] }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1' }] } },
    equal: true,
  },
  {
    name: 'empty annotations map vs absent',
    kind: 'ConfigMap',
    desired: { metadata: { name: 'x', namespace: 'default', annotations: {} } },
    live: {},
    equal: true,
  },
  {
    name: 'Secret stringData = base64 data',
    kind: 'Secret',
    desired: { stringData: { a: 'hello' } },
    live: { type: 'Opaque', data: { a: 'aGVsbG8=' } },
    equal: true,
  },
  {
    name: 'Secret data vs different base64',
    kind: 'Secret',
    desired: { data: { a: 'aGVsbG8=' } },
    live: { data: { a: 'aGVsbG9v' } },
    equal: false,
  },
  {
    name: 'ConfigMap numeric value quoted or not',
    kind: 'ConfigMap',
    desired: { data: { n: 300, b: true } },
    live: { data: { n: '300', b: 'true' } },
    equal: true,
  },
  {
    name: 'ConfigMap values named like ports or quantities are compared as text',
    kind: 'ConfigMap',
    desired: { data: { port: '08080', sizeLimit: '1Gi' } },
    live: { data: { port: '8080', sizeLimit: '1024Mi' } },
    equal: false,
  },
  {
    name: 'label values quoted or not',
    kind: 'ConfigMap',
    desired: { metadata: { name: 'x', namespace: 'default', labels: { v: 2, on: false } } },
    live: { metadata: { name: 'x', namespace: 'default', labels: { v: '2', on: 'false' } } },
    equal: true,
  },
  {
    name: 'Deployment defaults (strategy, replicas 1, limits)',
    kind: 'Deployment',
    desired: pod({ containers: [{ name: 'a', image: 'x:1' }] }),
    live: {
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      },
    },
    equal: true,
  },
  {
    name: 'Deployment maxSurge changed is drift',
    kind: 'Deployment',
    desired: pod({ containers: [{ name: 'a', image: 'x:1' }] }),
    live: {
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '25%' } },
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      },
    },
    equal: false,
  },
  {
    name: 'Service targetPort defaults to port, string port',
    kind: 'Service',
    desired: { spec: { ports: [{ port: '80' }] } },
    live: {
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        clusterIPs: ['10.0.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    },
    equal: true,
  },
  {
    name: 'Service targetPort "8080" = 8080',
    kind: 'Service',
    desired: { spec: { ports: [{ port: 80, targetPort: '8080' }] } },
    live: { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
    equal: true,
  },
  {
    name: 'Service LoadBalancer allocations + healthCheckNodePort',
    kind: 'Service',
    desired: { spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } },
    live: {
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 31000,
        allocateLoadBalancerNodePorts: true,
        ports: [{ port: 80, targetPort: 80, nodePort: 30001, protocol: 'TCP' }],
      },
    },
    equal: true,
  },
  {
    name: 'Service ports reordered',
    kind: 'Service',
    desired: {
      spec: {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 443 },
        ],
      },
    },
    live: {
      spec: {
        ports: [
          { name: 'b', port: 443 },
          { name: 'a', port: 80 },
        ],
      },
    },
    equal: true,
  },
  {
    name: 'Service clusterIP set in Git and changed is drift',
    kind: 'Service',
    desired: { spec: { clusterIP: '10.0.0.5', ports: [{ port: 80 }] } },
    live: { spec: { clusterIP: '10.0.0.6', ports: [{ port: 80 }] } },
    equal: false,
  },
  {
    name: 'HPA behavior defaults',
    kind: 'HorizontalPodAutoscaler',
    desired: { spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } },
    live: {
      spec: {
        maxReplicas: 3,
        minReplicas: 1,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 60,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
        },
      },
    },
    equal: true,
  },
  {
    name: 'Job generated selector labels and defaults',
    kind: 'Job',
    desired: {
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x:1' }] } } },
    },
    live: {
      spec: {
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        completions: 1,
        parallelism: 1,
        suspend: false,
        manualSelector: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } },
        template: {
          metadata: {
            labels: {
              'batch.kubernetes.io/controller-uid': 'u',
              'batch.kubernetes.io/job-name': 'x',
              'controller-uid': 'u',
              'job-name': 'x',
            },
          },
          spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x:1' }] },
        },
      },
    },
    equal: true,
  },
  {
    name: 'system finalizers (PVC protection) are not drift',
    kind: 'PersistentVolumeClaim',
    desired: { spec: { resources: { requests: { storage: '1Gi' } } } },
    live: {
      metadata: { name: 'x', namespace: 'default', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { resources: { requests: { storage: '1Gi' } } },
    },
    equal: true,
  },
  {
    name: 'a foreign finalizer is drift',
    kind: 'ConfigMap',
    desired: {},
    live: { metadata: { name: 'x', namespace: 'default', finalizers: ['example.com/hold'] } },
    equal: false,
  },
  {
    name: 'zero values the server omits (readOnly false, nodePort 0, serviceAccount "")',
    kind: 'Deployment',
    desired: pod({
      serviceAccount: '',
      containers: [
        { name: 'a', image: 'x:1', volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false }] },
      ],
    }),
    live: {
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'a', image: 'x:1', volumeMounts: [{ name: 'v', mountPath: '/v' }] }] },
        },
      },
    },
    equal: true,
  },
  {
    name: 'a "" label or ConfigMap value removed from live is drift',
    kind: 'ConfigMap',
    desired: {
      metadata: { name: 'x', namespace: 'default', labels: { app: 'a', tier: '' } },
      data: { a: 'x', empty: '' },
    },
    live: { metadata: { name: 'x', namespace: 'default', labels: { app: 'a' } }, data: { a: 'x' } },
    equal: false,
  },
  {
    name: 'a pointer-field zero removed from live is drift (allowPrivilegeEscalation, automountServiceAccountToken)',
    kind: 'Deployment',
    desired: pod({
      automountServiceAccountToken: false,
      containers: [
        { name: 'a', image: 'x:1', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } },
      ],
    }),
    live: {
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'a', image: 'x:1', securityContext: { runAsNonRoot: true } }] },
        },
      },
    },
    equal: false,
  },
  {
    name: 'a zero value the server keeps is still compared (replicas 0 vs 3)',
    kind: 'Deployment',
    desired: { spec: { replicas: 0, selector: { matchLabels: { a: 'b' } } } },
    live: { spec: { replicas: 3, selector: { matchLabels: { a: 'b' } } } },
    equal: false,
  },
  {
    name: 'serviceAccount alias copied from serviceAccountName, grpc probe service ""',
    kind: 'Pod',
    desired: {
      spec: {
        serviceAccountName: 'sa',
        containers: [{ name: 'a', image: 'x:1', readinessProbe: { grpc: { port: 9555 } } }],
      },
    },
    live: {
      spec: {
        serviceAccountName: 'sa',
        serviceAccount: 'sa',
        containers: [
          {
            name: 'a',
            image: 'x:1',
            readinessProbe: {
              grpc: { port: 9555, service: '' },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
          },
        ],
      },
    },
    equal: true,
  },
  {
    name: 'ReplicationController selector and labels default to the template labels',
    kind: 'ReplicationController',
    desired: {
      spec: {
        template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      },
    },
    live: {
      metadata: { name: 'x', namespace: 'default', labels: { app: 'x' } },
      spec: {
        replicas: 1,
        selector: { app: 'x' },
        template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      },
    },
    equal: true,
  },
  {
    name: 'StatefulSet rollingUpdate defaults (partition 0, maxUnavailable 1)',
    kind: 'StatefulSet',
    desired: pod({ containers: [{ name: 'a', image: 'x:1' }] }),
    live: {
      spec: {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
      },
    },
    equal: true,
  },
  {
    name: 'PVC storageClassName/volumeName filled by the binder',
    kind: 'PersistentVolumeClaim',
    desired: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    live: {
      metadata: {
        name: 'x',
        namespace: 'default',
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1024Mi' } },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        volumeName: 'pvc-1',
      },
    },
    equal: true,
  },
  {
    name: 'Endpoints port protocol TCP is the default',
    kind: 'Endpoints',
    desired: { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] },
    live: { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }] },
    equal: true,
  },
  {
    name: 'Job podFailurePolicy onPodConditions status True is the default',
    kind: 'Job',
    desired: {
      spec: {
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      },
    },
    live: {
      spec: {
        podReplacementPolicy: 'Failed',
        podFailurePolicy: {
          rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
        },
      },
    },
    equal: true,
  },
  {
    name: 'ephemeral containers get the container defaults',
    kind: 'Pod',
    desired: { spec: { containers: [], ephemeralContainers: [{ name: 'dbg', image: 'busybox:1' }] } },
    live: {
      spec: {
        containers: [],
        ephemeralContainers: [
          {
            name: 'dbg',
            image: 'busybox:1',
            imagePullPolicy: 'IfNotPresent',
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
      },
    },
    equal: true,
  },
  {
    name: 'enable service links: a Pod gets enableServiceLinks true',
    kind: 'Pod',
    desired: { spec: { containers: [{ name: 'a', image: 'x:1' }] } },
    live: { spec: { containers: [{ name: 'a', image: 'x:1' }], enableServiceLinks: true } },
    equal: true,
  },
  {
    name: 'a volume without a source is an emptyDir',
    kind: 'Pod',
    desired: { spec: { volumes: [{ name: 'scratch' }] } },
    live: { spec: { volumes: [{ name: 'scratch', emptyDir: {} }] } },
    equal: true,
  },
];

describe('normalisers, case by case', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.equal ? 'equal' : 'drift'}`, () => {
      const desired = D(c.kind, c.desired);
      const live = D(c.kind, c.live);
      // Everything in live is "owned" here so that only the normalisers decide.
      live.metadata['managedFields'] = [
        {
          manager: 'test',
          operation: 'Update',
          time: '2026-01-01T00:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: ownAll(live),
        },
      ];
      const n = normalizePair(desired, live, opts);
      const details = diffObjects(n.desired, n.live as KubeObject);
      assert.equal(
        details.length === 0,
        c.equal,
        JSON.stringify(details.map((d) => [d.path, d.desired, d.live])),
      );
      assert.equal(stableHash(n.desired as JsonValue) === stableHash(n.live as JsonValue), c.equal);
    });
  }

  it('defaultPullPolicy', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('localhost:5000/nginx'), 'Always');
    assert.equal(defaultPullPolicy('localhost:5000/nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('nginx@sha256:abc'), 'IfNotPresent');
  });
});
