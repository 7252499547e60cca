// What the API server serves, from its own discovery: every kind (built-in, CRD or aggregated), its
// versions, plural resource name and scope. One request per group version, cached for the object's
// life. Kinds are named by kind key (Deployment, Gateway.gateway.networking.k8s.io), as resource ids are.
// A group version the server lists but cannot describe (an aggregated APIService whose backend is
// down answers 503) is not served-and-empty and not a reason to fail: it is set aside in
// `unreadable()`, so callers report that group and analyse everything else.
import type { KubeConfig } from '@kubernetes/client-node';
import { groupOf, kindKey, type KindScopes } from '../../engine/identity.ts';
import { KubeApiError, kubeGet } from './rest.ts';

/** A group version whose discovery (or list) failed, and why; its kinds are unknown to the caller. */
export interface UnreadableGroup {
  /** `metrics.k8s.io/v1beta1`. */
  apiVersion: string;
  /** The server's answer, e.g. `HTTP 503: service unavailable`. */
  reason: string;
}

/**
 * A server-side failure of one group version (5xx: an aggregated API whose backend is down, a
 * timeout behind the aggregator). No answer at all, bad credentials or a refusal (403) still fail
 * the whole command: those concern the user's access, not one group.
 */
export function isGroupError(err: unknown): err is KubeApiError {
  return err instanceof KubeApiError && err.status >= 500;
}

export function errorReason(err: KubeApiError): string {
  return err.message === `HTTP ${err.status}` ? err.message : `HTTP ${err.status}: ${err.message}`;
}

export interface ApiResource {
  /** Plural resource name used in URLs, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
}

export interface ServedKind extends ApiResource {
  kind: string;
  group: string;
  /** The group's preferred version that serves this kind (what a watch reads by default). */
  version: string;
  /** Every served version of the kind, preferred first. */
  versions: string[];
  /** kindKey(kind, group). */
  key: string;
  /** Lower-case short names from discovery (`deploy`, `svc`). */
  shortNames: string[];
}

interface ResourceList {
  resources?: {
    name?: string;
    kind?: string;
    namespaced?: boolean;
    shortNames?: string[];
    verbs?: string[];
  }[];
}
interface GroupList {
  groups?: { name?: string; versions?: { version?: string }[]; preferredVersion?: { version?: string } }[];
}

/**
 * The kubeconfig's server answers, but not as a Kubernetes API server (a web server, a proxy's
 * default backend: 404 for everything). Without this check such a server reads as an empty cluster
 * and every desired object as Missing.
 */
export class NotKubernetesError extends Error {
  constructor(server: string, status: number) {
    super(
      `${server || 'the server'} is not a Kubernetes API server: GET /api answered ${status === 200 ? 'without an APIVersions list' : `HTTP ${status}`} (check the kubeconfig's server and context)`,
    );
    this.name = 'NotKubernetesError';
  }
}

export function apiPrefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** The collection path of a kind, in one namespace or (undefined) across all. */
export function collectionPath(
  k: Pick<ServedKind, 'group' | 'version' | 'name' | 'namespaced'>,
  namespace?: string,
): string {
  const ns = k.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiPrefix(apiVersionOf(k.group, k.version))}${ns}/${k.name}`;
}

interface Entry extends ApiResource {
  kind: string;
  shortNames: string[];
}

export class Discovery {
  private readonly versions = new Map<string, Promise<Map<string, Entry> | null>>();
  private readonly failed = new Map<string, string>();
  private all: Promise<ServedKind[]> | undefined;
  private verified: Promise<void> | undefined;
  constructor(private readonly kc: KubeConfig) {}

  /**
   * Every API server serves /api (core's versions): asked once, and only when a group version was
   * not found, so a normal discovery costs nothing more. Throws NotKubernetesError.
   */
  private verifyServer(): Promise<void> {
    this.verified ??= kubeGet(this.kc, '/api').then((res) => {
      const kind = (res.body as { kind?: unknown } | null)?.kind;
      if (res.status !== 200 || kind !== 'APIVersions')
        throw new NotKubernetesError(this.kc.getCurrentCluster()?.server ?? '', res.status);
    });
    return this.verified;
  }

  /** Group versions whose discovery failed so far (each once), in the order met. */
  unreadable(): UnreadableGroup[] {
    return [...this.failed].map(([apiVersion, reason]) => ({ apiVersion, reason }));
  }

  /** Why `apiVersion` could not be discovered, or undefined when it was (or was not asked). */
  failure(apiVersion: string): string | undefined {
    return this.failed.get(apiVersion);
  }

  private load(apiVersion: string): Promise<Map<string, Entry> | null> {
    let p = this.versions.get(apiVersion);
    if (!p) {
      p = this.fetch(apiVersion).catch((err: unknown) => {
        if (!isGroupError(err)) throw err;
        this.failed.set(apiVersion, errorReason(err));
        return null;
      });
      this.versions.set(apiVersion, p);
    }
    return p;
  }

  private async fetch(apiVersion: string): Promise<Map<string, Entry> | null> {
    const res = await kubeGet(this.kc, apiPrefix(apiVersion));
    if (res.status === 404) {
      await this.verifyServer();
      return null;
    }
    const kinds = new Map<string, Entry>();
    for (const r of (res.body as ResourceList).resources ?? []) {
      // Subresources (deployments/scale) share the kind name of their parent: skip them.
      if (!r.name || !r.kind || r.name.includes('/')) continue;
      kinds.set(r.kind, {
        name: r.name,
        kind: r.kind,
        namespaced: r.namespaced === true,
        shortNames: r.shortNames ?? [],
      });
    }
    return kinds;
  }

  /** The resource for a kind, or null when the cluster does not serve it (e.g. a CRD not installed). */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | null> {
    const e = (await this.load(apiVersion))?.get(kind);
    return e ? { name: e.name, namespaced: e.namespaced } : null;
  }

  /**
   * Scope of the kinds named (by apiVersion and kind), from the discovery of their group versions
   * only: what a few manifests need without the whole of /apis. Kinds not served are left out.
   */
  async scopesOf(refs: readonly { apiVersion: string; kind: string }[]): Promise<KindScopes> {
    const unique = new Map(refs.map((r) => [`${r.apiVersion}|${r.kind}`, r]));
    const found = await Promise.all(
      [...unique.values()].map(async (r) => ({ r, res: await this.resource(r.apiVersion, r.kind) })),
    );
    const out = new Map<string, boolean>();
    for (const { r, res } of found) if (res) out.set(kindKey(r.kind, groupOf(r.apiVersion)), res.namespaced);
    return out;
  }

  /** Every kind the server serves, at its group's preferred version (watchable list resources only). */
  kinds(): Promise<ServedKind[]> {
    this.all ??= this.loadAll();
    return this.all;
  }

  private async loadAll(): Promise<ServedKind[]> {
    const groups: { name: string; versions: string[] }[] = [{ name: '', versions: ['v1'] }];
    const res = await kubeGet(this.kc, '/apis');
    for (const g of (res.body as GroupList | null)?.groups ?? []) {
      if (!g.name) continue;
      const preferred = g.preferredVersion?.version;
      const vs = (g.versions ?? []).map((v) => v.version).filter((v): v is string => !!v);
      groups.push({
        name: g.name,
        versions: preferred ? [preferred, ...vs.filter((v) => v !== preferred)] : vs,
      });
    }
    const out = new Map<string, ServedKind>();
    for (const g of groups) {
      const lists = await Promise.all(g.versions.map((v) => this.load(apiVersionOf(g.name, v))));
      g.versions.forEach((version, i) => {
        for (const e of lists[i]?.values() ?? []) {
          const key = kindKey(e.kind, g.name);
          const seen = out.get(key);
          if (seen) seen.versions.push(version);
          else
            out.set(key, {
              ...e,
              group: g.name,
              version,
              versions: [version],
              key,
            });
        }
      });
    }
    return [...out.values()];
  }

  /** Scope of every served kind by kind key, for the engine (EngineOptions.scopes). */
  async scopes(): Promise<KindScopes> {
    return new Map((await this.kinds()).map((k) => [k.key, k.namespaced]));
  }
}

/**
 * A resource type as a user names it, kubectl's spellings: kind (`Deployment`), plural or short name
 * (`deployments`, `deploy`), with `.group` when the name alone is ambiguous (`Gateway.gateway.networking.k8s.io`).
 * Returns the kind, or a message saying why not.
 */
export function resolveKind(kinds: readonly ServedKind[], spec: string): ServedKind | string {
  const dot = spec.indexOf('.');
  const name = (dot < 0 ? spec : spec.slice(0, dot)).toLowerCase();
  const group = dot < 0 ? undefined : spec.slice(dot + 1);
  const hits = kinds.filter(
    (k) =>
      (group === undefined || k.group === group) &&
      (k.kind.toLowerCase() === name || k.name === name || k.shortNames.includes(name)),
  );
  if (hits.length === 1) return hits[0] as ServedKind;
  if (hits.length === 0) return `the API server serves no resource type ${JSON.stringify(spec)}`;
  // A built-in kind wins over CRD kinds of the same name, as the bare name is its id.
  const builtin = hits.filter((k) => k.key === k.kind);
  if (group === undefined && builtin.length === 1) return builtin[0] as ServedKind;
  return `${JSON.stringify(spec)} is ambiguous (${hits.map((k) => `${k.kind}.${k.group || 'core'}`).join(', ')}): write Kind.group`;
}
