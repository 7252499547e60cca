// The kinds the agent watches: the config's `kubernetes.resource_types` (kubectl's spellings: kind,
// plural or short name, `Kind.group` when ambiguous) resolved against the API server's discovery,
// so any built-in, CRD or aggregated kind works, with its real scope and served versions.
import { resolveKind, type ServedKind } from '../../shared/node/kube/discovery.ts';

export interface KindInfo {
  kind: string;
  group: string;
  /** The version watched: the one Git names for this kind, else the group's preferred one. */
  version: string;
  plural: string;
  namespaced: boolean;
  /** kindKey: `Deployment`, `Gateway.gateway.networking.k8s.io`. */
  key: string;
  /** Other served versions Git also uses for this kind: each gets a watch of its own. */
  alsoVersions: string[];
  /** Every version the API server serves of this kind (Git may name one later than discovery ran). */
  served: readonly string[];
}

export interface ResolvedKinds {
  kinds: KindInfo[];
  /** One message per entry discovery could not resolve (unknown, ambiguous, not served). */
  problems: string[];
  /** Git versions of a kind that the server does not serve (their objects read as Missing). */
  warnings: string[];
}

/**
 * Resolve the configured resource types. `gitVersions(key)` lists the versions the desired
 * objects use for a kind, so the watch reads live objects in the version Git compares against.
 */
export function resolveKinds(
  served: readonly ServedKind[],
  specs: readonly string[],
  gitVersions: (key: string) => readonly string[],
): ResolvedKinds {
  const out: ResolvedKinds = { kinds: [], problems: [], warnings: [] };
  const seen = new Set<string>();
  for (const spec of specs) {
    const k = resolveKind(served, spec);
    if (typeof k === 'string') {
      out.problems.push(`kubernetes.resource_types: ${k}`);
      continue;
    }
    if (seen.has(k.key)) continue;
    seen.add(k.key);
    const named = [...new Set(gitVersions(k.key))];
    const inGit = named.filter((v) => k.versions.includes(v));
    const version = inGit.includes(k.version) || inGit.length === 0 ? k.version : (inGit[0] as string);
    const unserved = named.filter((v) => !k.versions.includes(v));
    if (unserved.length > 0)
      out.warnings.push(`${k.key}: Git uses ${unserved.join(', ')}, which the API server does not serve`);
    out.kinds.push({
      kind: k.kind,
      group: k.group,
      version,
      plural: k.name,
      namespaced: k.namespaced,
      key: k.key,
      alsoVersions: inGit.filter((v) => v !== version),
      served: k.versions,
    });
  }
  return out;
}

export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** The collection path, cluster-wide when `namespace` is undefined. */
export function collectionPath(info: KindInfo, namespace?: string): string {
  const root = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced && namespace !== undefined
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`
    : `${root}/${info.plural}`;
}
