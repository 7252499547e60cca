// Objects Git does not know: a live object of a tracked kind in a tracked namespace that no source
// declares and nothing owns is `Unmanaged`; a ConfigMap/Secret left behind by an earlier hash of a
// Kustomize generator that Git still declares is `Superseded`. Objects every cluster makes by itself
// are never reported. Pure: the agent decides which live objects to ask about.
import { resourceId, type DriftResult, type JsonObject, type KubeObject } from '../types.ts';
import { severityOf } from './classify.ts';
import { stableHash } from './hash.ts';
import { objectFacts } from './ignore/apply.ts';
import { ruleCoversObject } from './ignore/match.ts';
import { isObject } from './json.ts';
import type { EngineOptions } from './options.ts';

/**
 * Kinds whose objects controllers and programs write (for Services, leader election, history);
 * never declared in Git. Not Pod: a Pod nothing owns was made by hand (`kubectl run`), and the
 * ones controllers make carry an ownerReference (a static Pod's mirror names its Node).
 */
const CONTROLLER_KINDS = new Set(['Endpoints', 'EndpointSlice', 'Event', 'Lease', 'ControllerRevision']);

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
  /**
   * `namespace|<claim template>-<StatefulSet>-` of each declared StatefulSet's volumeClaimTemplates:
   * the StatefulSet controller makes a PVC `<prefix><ordinal>` per replica and, with the default
   * retention policy, gives it no ownerReference.
   */
  claimPrefixes: ReadonlySet<string>;
  /** Namespaces Git declares objects in. */
  namespaces: ReadonlySet<string>;
}

/** A declared object; `object` (the desired manifest) is read for StatefulSets only. */
export interface DeclaredObject {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  object?: KubeObject;
}

export function declaredIndex(declared: Iterable<DeclaredObject>): DeclaredIndex {
  const ids = new Set<string>();
  const generators = new Map<string, string>();
  const claimPrefixes = new Set<string>();
  const namespaces = new Set<string>();
  for (const d of declared) {
    ids.add(d.id);
    if (d.namespace !== '') namespaces.add(d.namespace);
    if (d.kind === 'StatefulSet' && d.object) {
      const spec = d.object['spec'];
      const templates = isObject(spec) ? spec['volumeClaimTemplates'] : undefined;
      for (const t of Array.isArray(templates) ? templates : []) {
        const claim = isObject(t) && isObject(t['metadata']) ? t['metadata']['name'] : undefined;
        if (typeof claim === 'string') claimPrefixes.add(`${d.namespace}|${claim}-${d.name}-`);
      }
    }
    if (d.kind !== 'ConfigMap' && d.kind !== 'Secret') continue;
    const m = GENERATOR_SUFFIX.exec(d.name);
    if (m?.[1]) generators.set(`${d.kind}|${d.namespace}|${m[1]}`, d.name);
  }
  return { ids, generators, claimPrefixes, namespaces };
}

/** A PVC the StatefulSet controller made for a declared StatefulSet (`<prefix><ordinal>`). */
function statefulSetClaim(live: KubeObject, declared: DeclaredIndex): boolean {
  if (live.kind !== 'PersistentVolumeClaim') return false;
  const m = /^(.*-)(\d+)$/.exec(str(live.metadata, 'name'));
  return m?.[1] !== undefined && declared.claimPrefixes.has(`${str(live.metadata, 'namespace')}|${m[1]}`);
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
  // A hook of a Helm release (a migration Job, a test Pod): the renderer sets hooks aside, and Helm
  // keeps them outside the release's objects.
  const annotations = isObject(md['annotations']) ? md['annotations'] : {};
  if (typeof annotations['helm.sh/hook'] === 'string') return 'a Helm hook of a release';
  const labels = isObject(md['labels']) ? md['labels'] : {};
  if (live.kind === 'ConfigMap' && labels['OWNER'] === 'TILLER') return 'a Helm 2 release record';
  // Helm 3 with its ConfigMap storage driver (HELM_DRIVER=configmap).
  if (live.kind === 'ConfigMap' && labels['owner'] === 'helm' && name.startsWith('sh.helm.release.v1.'))
    return 'a Helm release record';
  return null;
}

/**
 * What `unmanagedResult` reads of an object no controller made, and nothing more: the live cache
 * keeps this for untracked candidates instead of their whole body (see agent/kube/live-state.ts).
 * Null when the cluster made the object (it never becomes a record, so nothing is kept).
 */
export function unmanagedFacts(live: KubeObject): KubeObject | null {
  if (clusterMade(live)) return null;
  const md = live.metadata;
  const metadata: JsonObject = {};
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp'])
    if (typeof md[key] === 'string') metadata[key] = md[key];
  const managed = Array.isArray(md['managedFields']) ? md['managedFields'].filter(isObject) : [];
  metadata['managedFields'] = managed.map((m) => {
    const slim: JsonObject = {};
    for (const key of ['manager', 'time', 'subresource']) if (m[key] !== undefined) slim[key] = m[key];
    return slim;
  });
  return { apiVersion: live.apiVersion, kind: live.kind, metadata };
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
  context: {
    gitCommit: string | null;
    /**
     * The creationTimestamp of a live object Git declares, by resource id (undefined: not in the
     * cluster). A generator object created after the one Git declares is a newer hash Git does not
     * hold yet (Unmanaged), not a left-over.
     */
    createdAt?: (id: string) => string | undefined;
  },
): DriftResult | null {
  if (declared.ids.has(id) || clusterMade(live) || statefulSetClaim(live, declared)) return null;
  const md = live.metadata;
  const name = str(md, 'name');
  const namespace = str(md, 'namespace');
  const facts = objectFacts(live, namespace, name, undefined);
  const whole = (opts.rules.ignore ?? []).some(
    (r) => r.path === undefined && r.managers === undefined && ruleCoversObject(r, facts),
  );
  if (whole) return null;
  let type: 'Unmanaged' | 'Superseded' = 'Unmanaged';
  let current: string | null = null;
  if (live.kind === 'ConfigMap' || live.kind === 'Secret') {
    const m = GENERATOR_SUFFIX.exec(name);
    current = m?.[1] ? (declared.generators.get(`${live.kind}|${namespace}|${m[1]}`) ?? null) : null;
    const currentCreated = current
      ? context.createdAt?.(resourceId(live.kind, namespace, current))
      : undefined;
    const created = str(md, 'creationTimestamp');
    if (current && currentCreated !== undefined && created !== '' && created > currentCreated) current = null;
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
