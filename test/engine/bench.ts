// Benchmark helper: builds n realistic desired/live pairs and times analyzeAll over them. The runner
// (test/bench) prints the numbers; nothing here asserts timings.
import type { JsonObject, JsonValue, KubeObject } from '../../shared/types.ts';
import { analyzeAll } from '../../shared/engine/analyze.ts';
import { clone } from '../../shared/engine/json.ts';
import { defaultEngineOptions } from '../../shared/engine/options.ts';
import type { DesiredObject } from '../../shared/engine/parse.ts';

function desiredDeployment(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bench', labels: { 'app.kubernetes.io/name': name, team: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
              ports: [{ name: 'http', containerPort: 9898 }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
              ],
              resources: {
                requests: { cpu: '0.1', memory: '64Mi' },
                limits: { cpu: '0.5', memory: '0.25Gi' },
              },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              readinessProbe: { httpGet: { path: '/readyz', port: 9898 } },
              volumeMounts: [
                { name: 'config', mountPath: '/config' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'app-config' } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** A FieldsV1 tree owning every map field of `o` (lists owned whole), like a create by kubectl. */
export function ownAll(o: JsonValue): JsonObject {
  const out: JsonObject = {};
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o))
      out[`f:${k}`] = v && typeof v === 'object' && !Array.isArray(v) ? ownAll(v) : {};
  }
  return out;
}

/** What the API server would return for `desired`: defaults, canonical quantities, metadata, status. */
function liveFor(desired: KubeObject, i: number): KubeObject {
  const live = clone(desired);
  const spec = live['spec'] as JsonObject;
  Object.assign(spec, {
    progressDeadlineSeconds: 600,
    revisionHistoryLimit: 10,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
  const pod = (spec['template'] as JsonObject)['spec'] as JsonObject;
  Object.assign(pod, {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
  const c = (pod['containers'] as JsonObject[])[0] as JsonObject;
  Object.assign(c, {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  c['resources'] = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
  (c['ports'] as JsonObject[]).forEach((p) => {
    p['protocol'] = 'TCP';
  });
  for (const probe of ['livenessProbe', 'readinessProbe']) {
    const p = c[probe] as JsonObject;
    Object.assign(p, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    (p['httpGet'] as JsonObject)['scheme'] = 'HTTP';
  }
  ((pod['volumes'] as JsonObject[])[0]?.['configMap'] as JsonObject)['defaultMode'] = 420;
  // Containers in another order (a merge-keyed list: not drift); env keeps its order (it is ordered).
  (pod['containers'] as JsonObject[]).reverse();
  live.metadata = {
    ...live.metadata,
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resourceVersion: String(1000 + i),
    generation: 1,
    creationTimestamp: '2026-11-20T09:00:00Z',
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    managedFields: [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2026-11-20T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: ownAll({ metadata: desired.metadata, spec: live['spec'] ?? {} }),
      },
    ],
  };
  live['status'] = { replicas: 2, readyReplicas: 2, observedGeneration: 1 };
  // Some drift, as a real cluster has: a scale, an image bump, a label.
  const mf = live.metadata['managedFields'] as JsonObject[];
  if (i % 10 === 3) {
    spec['replicas'] = 5;
    mf.push({
      manager: 'kubectl-scale',
      operation: 'Update',
      subresource: 'scale',
      time: '2026-11-21T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
  }
  if (i % 10 === 7) {
    c['image'] = 'ghcr.io/stefanprodan/podinfo:6.7.2';
    mf.push({
      manager: 'kubectl-set',
      operation: 'Update',
      time: '2026-11-21T11:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } },
        },
      },
    });
  }
  if (i % 20 === 9) {
    (live.metadata['labels'] as JsonObject)['owner'] = 'someone';
    mf.push({
      manager: 'kubectl-label',
      operation: 'Update',
      time: '2026-11-21T12:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:owner': {} } } },
    });
  }
  return live;
}

export interface BenchResult {
  n: number;
  ms: number;
  perObjectUs: number;
  drifted: number;
}

/** Build n pairs (about a quarter drifted, 1% missing) and time one analyzeAll over them. */
export function benchEngine(n: number): BenchResult {
  const opts = defaultEngineOptions();
  const desired: DesiredObject[] = [];
  const live = new Map<string, KubeObject>();
  for (let i = 0; i < n; i++) {
    const name = `app-${i}`;
    const d = desiredDeployment(name);
    const id = `Deployment:bench:${name}`;
    desired.push({ id, object: d, sourceFile: `bench/${name}.yaml` });
    if (i % 100 !== 42) live.set(id, liveFor(d, i));
  }
  const t0 = performance.now();
  const results = analyzeAll(desired, live, opts, { gitCommit: null });
  const ms = performance.now() - t0;
  return {
    n,
    ms,
    perObjectUs: n > 0 ? (ms * 1000) / n : 0,
    drifted: results.filter((r) => r.drift_detected).length,
  };
}
