// Objects Git does not know: a live object of a tracked kind in a tracked namespace that no source
// declares and nothing owns is `Unmanaged`; a ConfigMap/Secret left behind by an earlier hash of a
// Kustomize generator that Git still declares is `Superseded`. Objects every cluster makes by itself
// are never reported. Pure: the agent decides which live objects to ask about.
import type { DriftResult, JsonObject, KubeObject } from '../types.ts';
import { severityOf } from './classify.ts';
import { stableHash } from './hash.ts';
import { isObject } from './json.ts';
import type { EngineOptions } from './options.ts';

/** Namespaces the control plane fills itself (controllers' ServiceAccounts, leases, cluster-info). */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Kinds whose objects controllers write for Services; never declared in Git. */
const CONTROLLER_KINDS = new Set([
  'Endpoints',
  'EndpointSlice',
  'Event',
  'Lease',
  'Pod',
  'ControllerRevision',
]);

/**
 * Kustomize's generator suffix: `-` and 10 characters of its hash encoding (hex with 0,1,3,a,e
 * replaced by g,h,k,m,t), e.g. `app-config-7g2c9m5tbk`.
 */
const GENERATOR_SUFFIX = /^(.+)-([2456789bcdfghkmt]{10})$/;

/** What Git declares, indexed for the unmanaged check. */
export interface DeclaredIndex {
  ids: ReadonlySet<string>;
  /** `Kind|namespace|base` → the declared generator name, for ConfigMaps and Secrets with a hash suffix. */
  generators: ReadonlyMap<string, string>;
}

export function declaredIndex(
  declared: Iterable<{ id: string; kind: string; namespace: string; name: string }>,
): DeclaredIndex {
  const ids = new Set<string>();
  const generators = new Map<string, string>();
  for (const d of declared) {
    ids.add(d.id);
    if (d.kind !== 'ConfigMap' && d.kind !== 'Secret') continue;
    const m = GENERATOR_SUFFIX.exec(d.name);
    if (m?.[1]) generators.set(`${d.kind}|${d.namespace}|${m[1]}`, d.name);
  }
  return { ids, generators };
}

function str(o: JsonObject, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

/** Why an object is one the cluster makes by itself (never reported), or null. */
export function clusterMade(live: KubeObject): string | null {
  const md = live.metadata;
  const name = str(md, 'name');
  const refs = md['ownerReferences'];
  if (Array.isArray(refs) && refs.length > 0) return 'owned by another object';
  if (CONTROLLER_KINDS.has(live.kind)) return `${live.kind} objects are written by controllers`;
  if (live.kind === 'ConfigMap' && name === 'kube-root-ca.crt') return 'the cluster CA bundle';
  if (live.kind === 'ServiceAccount' && name === 'default') return "the namespace's default ServiceAccount";
  if (live.kind === 'Service' && name === 'kubernetes' && str(md, 'namespace') === 'default')
    return 'the API server Service';
  if (live.kind === 'Secret') {
    const type = typeof live['type'] === 'string' ? live['type'] : '';
    if (type === 'kubernetes.io/service-account-token') return 'a ServiceAccount token';
    if (type.startsWith('helm.sh/release')) return 'a Helm release record';
  }
  const labels = isObject(md['labels']) ? md['labels'] : {};
  if (live.kind === 'ConfigMap' && labels['OWNER'] === 'TILLER') return 'a Helm 2 release record';
  return null;
}

/**
 * The verdict for a live object no source declares: Unmanaged, Superseded, or null (the cluster
 * made it, or an ignore rule names the whole object). `id` is the object's resource id.
 */
export function unmanagedResult(
  id: string,
  live: KubeObject,
  declared: DeclaredIndex,
  opts: EngineOptions,
  context: { gitCommit: string | null },
): DriftResult | null {
  if (declared.ids.has(id) || clusterMade(live)) return null;
  const md = live.metadata;
  const name = str(md, 'name');
  const namespace = str(md, 'namespace');
  const whole = (opts.rules.ignore ?? []).some(
    (r) =>
      (r.path === undefined || r.path === '') &&
      (r.kind === undefined || r.kind === live.kind) &&
      (r.namespace === undefined || r.namespace === namespace) &&
      (r.name === undefined || r.name === name),
  );
  if (whole) return null;
  let type: 'Unmanaged' | 'Superseded' = 'Unmanaged';
  let current: string | null = null;
  if (live.kind === 'ConfigMap' || live.kind === 'Secret') {
    const m = GENERATOR_SUFFIX.exec(name);
    current = m?.[1] ? (declared.generators.get(`${live.kind}|${namespace}|${m[1]}`) ?? null) : null;
    if (current) type = 'Superseded';
  }
  const severity = severityOf(type, opts.rules.severity);
  // Who made it: the earliest write to the object itself (a controller writing status comes later,
  // through the status subresource).
  const managed = (Array.isArray(md['managedFields']) ? md['managedFields'] : []).filter(isObject);
  const own = managed.filter((m) => m['subresource'] === undefined);
  const first = [...(own.length > 0 ? own : managed)].sort((a, b) =>
    str(a, 'time').localeCompare(str(b, 'time')),
  )[0];
  return {
    resource_id: id,
    kind: live.kind,
    namespace,
    name,
    api_version: live.apiVersion,
    drift_detected: true,
    drift_status: 'active',
    drift_type: type,
    severity,
    drift_details: [
      {
        path: 'metadata.name',
        type,
        severity,
        // Superseded: the name Git declares now; Unmanaged: Git declares nothing.
        ...(current ? { desired: current } : {}),
        live: name,
        manager: first ? str(first, 'manager') || null : null,
        changed_at: str(md, 'creationTimestamp') || null,
      },
    ],
    desired_hash: null,
    // Only identity matters: a spec change of an unmanaged object is not a new episode.
    live_hash: stableHash({ kind: live.kind, namespace, name, uid: str(md, 'uid') }),
    git_commit: context.gitCommit,
    source_file: null,
  };
}
