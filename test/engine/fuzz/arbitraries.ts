// Objects of every supported kind as people write them, for the property-based round trip: valid
// shapes (selectors match template labels, DNS-label names, ports in range) plus optional enum and
// boolean fields the server's OpenAPI schema lists, in the spellings manifests use (quantities in
// every form, int-or-string ports, empty maps and lists, omitted fields, the serviceAccount alias).
// What the server still rejects is counted and discarded by the runner.
import fc from 'fast-check';
import type { JsonObject, JsonValue, KubeObject } from '../../../shared/types.ts';
import type { SchemaIndex } from './openapi.ts';
import { crd } from '../../kit/crd.ts';

export interface Generated {
  kind: string;
  /** `kubectl get` resource name. */
  resource: string;
  clusterScoped: boolean;
  object: JsonObject;
}

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const labelValue = fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.constant(''));
const labels = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), labelValue, { maxKeys: 3 });
const cpu = fc.constantFrom<JsonValue>('100m', 0.1, '0.1', 1, '1', '1000m', '250m', 0.25, '2');
const memory = fc.constantFrom<JsonValue>(
  '64Mi',
  '67108864',
  67108864,
  '0.0625Gi',
  '64M',
  '1Gi',
  '1024Mi',
  '512k',
);

/** Optional enum/boolean fields of a schema struct (at most `max`), values from the schema. */
function extras(schemas: SchemaIndex, name: string, max = 2, skip: string[] = []): fc.Arbitrary<JsonObject> {
  const picks = (schemas.get(name) ?? []).filter((p) => !skip.includes(p.field));
  if (picks.length === 0) return fc.constant({});
  return fc
    .subarray(picks, { maxLength: max })
    .chain((sel) =>
      sel.length === 0
        ? fc.constant({})
        : fc.record(Object.fromEntries(sel.map((p) => [p.field, fc.constantFrom<JsonValue>(...p.values)]))),
    );
}

function container(schemas: SchemaIndex, name: string): fc.Arbitrary<JsonObject> {
  return fc
    .record(
      {
        image: fc.constantFrom(
          'nginx:1.27',
          'nginx',
          'nginx:latest',
          'registry.example.com/a/b:2.0',
          'busybox@sha256:' + 'a'.repeat(64),
        ),
        env: fc.oneof(
          fc.constant([] as JsonValue[]),
          fc.uniqueArray(
            fc.record({
              name: fc.stringMatching(/^[A-Z][A-Z_]{0,5}$/),
              value: fc.oneof(
                fc.stringMatching(/^[a-z0-9]{0,5}$/),
                fc.integer({ min: 0, max: 9999 }).map(String),
                fc.constant('$(HOME)'),
              ),
            }),
            { selector: (e) => e.name, maxLength: 4 },
          ),
        ),
        args: fc.array(fc.stringMatching(/^-{0,2}[a-z]{1,5}$/), { maxLength: 3 }),
        ports: fc.uniqueArray(
          fc.record(
            { containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') },
            { requiredKeys: ['containerPort'] },
          ),
          { selector: (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`, maxLength: 2 },
        ),
        resources: fc.record(
          {
            requests: fc.record({ cpu, memory }, { requiredKeys: [] }),
            limits: fc.record({ cpu, memory }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
        readinessProbe: fc.record({
          httpGet: fc.record(
            {
              port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant('http')),
              path: fc.constantFrom('/', '/healthz'),
            },
            { requiredKeys: ['port'] },
          ),
        }),
        more: extras(schemas, 'io.k8s.api.core.v1.Container', 2, ['restartPolicy', 'stdinOnce', 'tty']),
      },
      { requiredKeys: ['image'] },
    )
    .map(({ more, ...c }) => {
      const out: JsonObject = { name, ...c, ...more };
      // Limits below requests are rejected; keep requests only when both would clash.
      const res = out['resources'] as JsonObject | undefined;
      if (res && res['limits'] && res['requests']) delete res['limits'];
      return out;
    });
}

function podSpec(schemas: SchemaIndex, restart?: string): fc.Arbitrary<JsonObject> {
  return fc
    .record(
      {
        containers: fc
          .uniqueArray(dnsLabel, { minLength: 1, maxLength: 2 })
          .chain((names) => fc.tuple(...names.map((n) => container(schemas, n)))),
        initContainers: fc
          .uniqueArray(fc.stringMatching(/^init[a-z]{0,3}$/), { maxLength: 2 })
          .chain((names) =>
            names.length === 0
              ? fc.constant<JsonObject[]>([])
              : // Probes are for sidecars only (restartPolicy Always) in init containers.
                fc.tuple(...names.map((n) => container(schemas, n).map(({ readinessProbe: _, ...c }) => c))),
          ),
        sa: fc.constantFrom<{ serviceAccount?: string; serviceAccountName?: string }>(
          {},
          { serviceAccount: 'builder' },
          { serviceAccountName: 'builder' },
          { serviceAccount: 'builder', serviceAccountName: 'builder' },
        ),
        nodeSelector: fc.oneof(fc.constant({}), labels),
        volumes: fc.constantFrom<JsonValue[]>(
          [],
          [{ name: 'cache', emptyDir: {} }],
          [{ name: 'cfg', configMap: { name: 'cfg' } }],
          [{ name: 's', secret: { secretName: 's', defaultMode: 420 } }],
        ),
        more: extras(schemas, 'io.k8s.api.core.v1.PodSpec', 2, [
          'restartPolicy',
          'hostNetwork',
          'hostUsers',
          'setHostnameAsFQDN',
          'dnsPolicy', // None needs a dnsConfig
        ]),
      },
      { requiredKeys: ['containers', 'sa'] },
    )
    .map(
      ({ sa, more, ...s }) =>
        ({ ...s, ...sa, ...more, ...(restart ? { restartPolicy: restart } : {}) }) as JsonObject,
    );
}

function template(
  schemas: SchemaIndex,
  restart?: string,
): fc.Arbitrary<{ selector: JsonObject; template: JsonObject }> {
  return fc
    .record({ app: fc.stringMatching(/^[a-z]{1,6}$/), extra: labels, spec: podSpec(schemas, restart) })
    .map(({ app, extra, spec }) => ({
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { ...extra, app } }, spec },
    }));
}

const meta = (name: string, l: JsonObject): JsonObject => ({
  name,
  ...(Object.keys(l).length > 0 ? { labels: l } : {}),
});

/** One arbitrary per supported kind; `name` keeps objects of one run apart. */
export function kindArbitraries(schemas: SchemaIndex, name: string): Record<string, fc.Arbitrary<Generated>> {
  const ns = (kind: string, resource: string, object: JsonObject): Generated => ({
    kind,
    resource,
    clusterScoped: false,
    object,
  });
  const cl = (kind: string, resource: string, object: JsonObject): Generated => ({
    kind,
    resource,
    clusterScoped: true,
    object,
  });
  const replicas = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined });
  const rules = fc.array(
    fc.record({
      apiGroups: fc.constantFrom<JsonValue>([''], ['apps'], ['*']),
      resources: fc.constantFrom<JsonValue>(['pods'], ['deployments', 'services']),
      verbs: fc.constantFrom<JsonValue>(['get'], ['get', 'list', 'watch']),
    }),
    { maxLength: 2 },
  );
  return {
    Deployment: fc
      .record({
        l: labels,
        t: template(schemas),
        r: replicas,
        s: extras(schemas, 'io.k8s.api.apps.v1.DeploymentSpec', 1),
      })
      .map(({ l, t, r, s }) =>
        ns('Deployment', 'deployment', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta(name, l),
          spec: { ...t, ...s, ...(r === undefined ? {} : { replicas: r }) },
        }),
      ),
    StatefulSet: fc.record({ l: labels, t: template(schemas), r: replicas }).map(({ l, t, r }) =>
      ns('StatefulSet', 'statefulset', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta(name, l),
        spec: { serviceName: name, ...t, ...(r === undefined ? {} : { replicas: r }) },
      }),
    ),
    DaemonSet: fc.record({ l: labels, t: template(schemas) }).map(({ l, t }) =>
      ns('DaemonSet', 'daemonset', {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: meta(name, l),
        spec: t,
      }),
    ),
    ReplicaSet: fc.record({ l: labels, t: template(schemas), r: replicas }).map(({ l, t, r }) =>
      ns('ReplicaSet', 'replicaset', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta(name, l),
        spec: { ...t, ...(r === undefined ? {} : { replicas: r }) },
      }),
    ),
    Job: fc
      .record({
        l: labels,
        t: template(schemas, 'Never'),
        p: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      })
      .map(({ l, t, p }) =>
        ns('Job', 'job', {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: meta(name, l),
          spec: { template: t.template, ...(p === undefined ? {} : { parallelism: p }) },
        }),
      ),
    CronJob: fc
      .record({
        l: labels,
        t: template(schemas, 'OnFailure'),
        c: fc.constantFrom(undefined, 'Allow', 'Forbid', 'Replace'),
      })
      .map(({ l, t, c }) =>
        ns('CronJob', 'cronjob', {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: meta(name, l),
          spec: {
            schedule: '*/10 * * * *',
            ...(c ? { concurrencyPolicy: c } : {}),
            jobTemplate: { spec: { template: t.template } },
          },
        }),
      ),
    Service: fc
      .record({
        l: labels,
        type: fc.constantFrom(undefined, 'ClusterIP', 'NodePort', 'LoadBalancer'),
        clusterIP: fc.constantFrom(undefined, ''),
        ports: fc.uniqueArray(
          fc.record(
            {
              port: fc.integer({ min: 1, max: 65535 }),
              targetPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant('http'), fc.constant(0)),
              protocol: fc.constantFrom('TCP', 'UDP'),
            },
            { requiredKeys: ['port'] },
          ),
          { selector: (p) => `${p.port}/${p.protocol ?? 'TCP'}`, minLength: 1, maxLength: 3 },
        ),
        sel: labels,
        s: extras(schemas, 'io.k8s.api.core.v1.ServiceSpec', 1, [
          'type',
          'internalTrafficPolicy',
          'externalTrafficPolicy',
          'trafficDistribution',
          'publishNotReadyAddresses',
          // Cross-field rules the generator does not model: dual-stack, LoadBalancer-only.
          'ipFamilyPolicy',
          'allocateLoadBalancerNodePorts',
        ]),
      })
      .map(({ l, type, clusterIP, ports, sel, s }) => {
        const named = ports.map((p, i) => (ports.length > 1 ? { name: `p${i}`, ...p } : p));
        return ns('Service', 'service', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta(name, l),
          spec: {
            ...(type ? { type } : {}),
            ...(clusterIP === undefined ? {} : { clusterIP }),
            selector: sel,
            ports: named,
            ...s,
          },
        });
      }),
    ConfigMap: fc
      .record({
        l: labels,
        data: fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/),
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.integer().map(String),
            fc.constantFrom('true', 'yes', '0644', ''),
          ),
          { maxKeys: 4 },
        ),
      })
      .map(({ l, data }) =>
        ns('ConfigMap', 'configmap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, l), data }),
      ),
    Secret: fc
      .record({
        l: labels,
        data: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.string({ maxLength: 12 }), {
          maxKeys: 3,
        }),
        type: fc.constantFrom(undefined, 'Opaque'),
      })
      .map(({ l, data, type }) =>
        ns('Secret', 'secret', {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: meta(name, l),
          ...(type ? { type } : {}),
          stringData: data,
        }),
      ),
    ServiceAccount: labels.map((l) =>
      ns('ServiceAccount', 'serviceaccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: meta(name, l),
      }),
    ),
    PersistentVolumeClaim: fc
      .record({
        l: labels,
        size: fc.constantFrom('1Gi', '1024Mi', '500M', 1073741824),
        mode: fc.constantFrom(undefined, 'Filesystem', 'Block'),
      })
      .map(({ l, size, mode }) =>
        ns('PersistentVolumeClaim', 'pvc', {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: meta(name, l),
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(mode ? { volumeMode: mode } : {}),
            resources: { requests: { storage: size } },
          },
        }),
      ),
    HorizontalPodAutoscaler: fc
      .record({
        min: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        max: fc.integer({ min: 3, max: 10 }),
      })
      .map(({ min, max }) =>
        ns('HorizontalPodAutoscaler', 'hpa', {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: meta(name, {}),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
            maxReplicas: max,
            ...(min ? { minReplicas: min } : {}),
          },
        }),
      ),
    Ingress: fc
      .record({
        host: fc.constantFrom(undefined, 'example.com'),
        path: fc.constantFrom('/', '/api'),
        port: fc.oneof(
          fc.record({ number: fc.integer({ min: 1, max: 65535 }) }),
          fc.constant({ name: 'http' }),
        ),
      })
      .map(({ host, path, port }) =>
        ns('Ingress', 'ingress', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: meta(name, {}),
          spec: {
            rules: [
              {
                ...(host ? { host } : {}),
                http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name, port } } }] },
              },
            ],
          },
        }),
      ),
    NetworkPolicy: fc
      .record({
        sel: labels,
        ing: fc.array(
          fc.record(
            {
              ports: fc.array(
                fc.record({ port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant('http')) }),
                { maxLength: 2 },
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
        eg: fc.array(fc.constant({}), { maxLength: 1 }),
        types: fc.boolean(),
      })
      .map(({ sel, ing, eg, types }) =>
        ns('NetworkPolicy', 'networkpolicy', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: meta(name, {}),
          spec: {
            podSelector: { matchLabels: sel },
            ingress: ing,
            egress: eg,
            ...(types ? { policyTypes: eg.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'] } : {}),
          },
        }),
      ),
    PodDisruptionBudget: fc
      .record({ sel: labels, n: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('50%')) })
      .map(({ sel, n }) =>
        ns('PodDisruptionBudget', 'pdb', {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: meta(name, {}),
          spec: { minAvailable: n, selector: { matchLabels: sel } },
        }),
      ),
    Role: rules.map((r) =>
      ns('Role', 'role', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta(name, {}),
        rules: r,
      }),
    ),
    RoleBinding: fc
      .constantFrom<JsonObject[]>(
        [{ kind: 'User', name: 'alice' }],
        [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
        [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
      )
      .map((subjects) =>
        ns('RoleBinding', 'rolebinding', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: meta(name, {}),
          roleRef: { kind: 'ClusterRole', name: 'view' },
          subjects,
        }),
      ),
    // A custom resource of FUZZ_CRD: its schema defaults fill what the generator leaves out.
    FuzzWidget: fc
      .record(
        {
          size: fc.integer({ min: 0, max: 9 }),
          mode: fc.constantFrom('fast', 'safe'),
          tags: fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 3 }),
          ports: fc.uniqueArray(
            fc.record(
              {
                name: dnsLabel,
                port: fc.integer({ min: 1, max: 65535 }),
                protocol: fc.constantFrom('TCP', 'UDP'),
              },
              { requiredKeys: ['name', 'port'] },
            ),
            { selector: (p) => p.name, maxLength: 3 },
          ),
          tls: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      )
      .map((spec) =>
        ns('FuzzWidget', 'fuzzwidgets.fuzz.example.com', {
          apiVersion: 'fuzz.example.com/v1',
          kind: 'FuzzWidget',
          metadata: meta(name, {}),
          spec,
        }),
      ),
    ClusterRole: rules.map((r) =>
      cl('ClusterRole', 'clusterrole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: meta(`fuzz:${name}`, {}),
        rules: r,
      }),
    ),
    ClusterRoleBinding: fc.constant(null).map(() =>
      cl('ClusterRoleBinding', 'clusterrolebinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(`fuzz:${name}`, {}),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'User', name: 'bob' }],
      }),
    ),
  };
}

/** The CRD FuzzWidget objects belong to: defaults at several depths, a map-type list, an atomic list. */
export const FUZZ_CRD: KubeObject = crd({
  group: 'fuzz.example.com',
  kind: 'FuzzWidget',
  spec: {
    type: 'object',
    default: {},
    properties: {
      size: { type: 'integer', default: 1 },
      mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
      tags: { type: 'array', items: { type: 'string' } },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          required: ['name', 'port'],
          properties: {
            name: { type: 'string' },
            port: { type: 'integer' },
            protocol: { type: 'string', default: 'TCP' },
          },
        },
      },
      tls: {
        type: 'object',
        default: {},
        properties: { port: { type: 'integer', default: 443 } },
      },
    },
  },
});
