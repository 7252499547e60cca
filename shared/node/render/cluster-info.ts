// Helm's Capabilities for `kube_version: auto` / `api_versions: auto`: the server's version and the
// group/versions its discovery serves. The caller brings its own authenticated GET (agent or plugin).
import type { ClusterInfo } from './types.ts';

export type JsonGet = (path: string) => Promise<unknown>;

interface Versions {
  gitVersion?: unknown;
}
interface GroupList {
  groups?: { versions?: { groupVersion?: unknown }[] }[];
}
interface CoreVersions {
  versions?: unknown[];
}

export async function clusterInfo(get: JsonGet): Promise<ClusterInfo> {
  const [version, core, groups] = await Promise.all([
    get('/version') as Promise<Versions | null>,
    get('/api') as Promise<CoreVersions | null>,
    get('/apis') as Promise<GroupList | null>,
  ]);
  const apiVersions = new Set<string>();
  for (const v of core?.versions ?? []) if (typeof v === 'string') apiVersions.add(v);
  for (const g of groups?.groups ?? [])
    for (const v of g.versions ?? []) if (typeof v.groupVersion === 'string') apiVersions.add(v.groupVersion);
  const kube = version?.gitVersion;
  return {
    // helm wants a plain semver: v1.37.2 out of v1.37.2-dispatcher+abc.
    kubeVersion: typeof kube === 'string' ? (/^v?\d+\.\d+\.\d+/.exec(kube)?.[0] ?? null) : null,
    apiVersions: [...apiVersions].sort(),
  };
}
