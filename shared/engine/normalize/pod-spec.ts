// Pod spec defaults the API server fills in (k8s.io/kubernetes pkg/apis/core/v1/defaults.go), applied
// wherever a pod spec appears: Pods, workload templates, CronJob job templates.
import type { JsonObject, JsonValue } from '../../types.ts';
import { arr, dropIfEqual, isObject, obj } from '../json.ts';

const PROBE_DEFAULTS: [string, JsonValue][] = [
  ['timeoutSeconds', 1],
  ['periodSeconds', 10],
  ['successThreshold', 1],
  ['failureThreshold', 3],
];

function handler(h: JsonObject | undefined): void {
  dropIfEqual(obj(h, 'httpGet'), 'scheme', 'HTTP');
  dropIfEqual(obj(h, 'httpGet'), 'path', '/');
  dropIfEqual(obj(h, 'grpc'), 'service', '');
}

/** `Always` for `:latest` or an untagged image (unless pinned by digest), else `IfNotPresent`. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * The downward API selectors (env `valueFrom`, downwardAPI volume and projection items):
 * SetDefaults_ObjectFieldSelector gives `fieldRef.apiVersion` v1, and an unset
 * `resourceFieldRef.divisor` (a Quantity, not a pointer) is written back as its zero, "0".
 */
function downward(ref: JsonObject | undefined): void {
  dropIfEqual(obj(ref, 'fieldRef'), 'apiVersion', 'v1');
  dropIfEqual(obj(ref, 'resourceFieldRef'), 'divisor', '0');
}

function container(c: JsonValue): void {
  if (!isObject(c)) return;
  dropIfEqual(c, 'terminationMessagePath', '/dev/termination-log');
  dropIfEqual(c, 'terminationMessagePolicy', 'File');
  if (typeof c['image'] === 'string') dropIfEqual(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  for (const p of arr(c, 'ports') ?? []) if (isObject(p)) dropIfEqual(p, 'protocol', 'TCP');
  for (const name of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = obj(c, name);
    if (!probe) continue;
    for (const [k, v] of PROBE_DEFAULTS) dropIfEqual(probe, k, v);
    handler(probe);
  }
  const lifecycle = obj(c, 'lifecycle');
  handler(obj(lifecycle, 'postStart'));
  handler(obj(lifecycle, 'preStop'));
  for (const e of arr(c, 'env') ?? []) downward(obj(e, 'valueFrom'));
}

function volume(v: JsonValue): void {
  if (!isObject(v)) return;
  for (const src of ['secret', 'configMap', 'projected', 'downwardAPI'])
    dropIfEqual(obj(v, src), 'defaultMode', 420);
  for (const item of arr(obj(v, 'downwardAPI'), 'items') ?? []) if (isObject(item)) downward(item);
  for (const s of arr(obj(v, 'projected'), 'sources') ?? []) {
    dropIfEqual(obj(s, 'serviceAccountToken'), 'expirationSeconds', 3600);
    for (const item of arr(obj(s, 'downwardAPI'), 'items') ?? []) if (isObject(item)) downward(item);
  }
  dropIfEqual(obj(v, 'hostPath'), 'type', '');
}

export function normalizePodSpec(spec: JsonObject | undefined): void {
  if (!spec) return;
  dropIfEqual(spec, 'dnsPolicy', 'ClusterFirst');
  dropIfEqual(spec, 'restartPolicy', 'Always');
  dropIfEqual(spec, 'schedulerName', 'default-scheduler');
  dropIfEqual(spec, 'securityContext', {});
  dropIfEqual(spec, 'terminationGracePeriodSeconds', 30);
  dropIfEqual(spec, 'enableServiceLinks', true);
  // `serviceAccount` is the deprecated alias: the server reads it when `serviceAccountName` is empty
  // and always writes it back as a copy of `serviceAccountName` (core/v1 PodSpec conversion).
  const alias = spec['serviceAccount'];
  const sa = spec['serviceAccountName'];
  if ((sa === undefined || sa === '') && typeof alias === 'string' && alias !== '')
    spec['serviceAccountName'] = alias;
  delete spec['serviceAccount'];
  for (const key of ['containers', 'initContainers', 'ephemeralContainers'])
    for (const c of arr(spec, key) ?? []) container(c);
  for (const v of arr(spec, 'volumes') ?? []) volume(v);
}
