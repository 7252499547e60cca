// All controller objects at once → the discovered sources, sorted by name. Two objects that would
// get one name (Applications of one name in two namespaces) keep the first; the other is reported.
import type { JsonObject } from '../../shared/types.ts';
import { fromApplication } from './argocd.ts';
import { metaOf, obj, list, str, type DiscoverContext, type DiscoveredSource } from './discovered.ts';
import { fromHelmRelease, fromKustomization } from './flux.ts';
import { chartRepositoryKey } from './chart-pull.ts';

export interface ControllerObjects {
  Application: JsonObject[];
  GitRepository: JsonObject[];
  /** Optional: a caller reading only Git sources leaves them out. */
  HelmRepository?: JsonObject[];
  OCIRepository?: JsonObject[];
  Kustomization: JsonObject[];
  HelmRelease: JsonObject[];
}

export function discoverSources(objects: ControllerObjects, ctx: DiscoverContext): DiscoveredSource[] {
  const repos = new Map<string, JsonObject>();
  for (const r of objects.GitRepository) {
    const { namespace, name } = metaOf(r);
    repos.set(`${namespace}/${name}`, r);
  }
  const charts = new Map<string, JsonObject>();
  for (const kind of ['HelmRepository', 'OCIRepository'] as const)
    for (const r of objects[kind] ?? []) charts.set(chartRepositoryKey(r, kind), r);
  const all = [
    ...objects.Application.map((a) => fromApplication(a, ctx)),
    ...objects.Kustomization.map((k) => fromKustomization(k, repos, ctx)),
    ...objects.HelmRelease.map((h) => fromHelmRelease(h, repos, ctx, charts)),
  ];
  const byName = new Map<string, DiscoveredSource>();
  for (const d of all) {
    const first = byName.get(d.name);
    if (first) first.unsupported.push(`another object is also named ${d.name}; it is not tracked`);
    else byName.set(d.name, d);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ConfigMaps (namespace/name) the Flux objects read variables or values from. */
export function referencedConfigMaps(objects: ControllerObjects): string[] {
  const out = new Set<string>();
  const add = (o: JsonObject, refs: JsonObject[]) => {
    const { namespace } = metaOf(o);
    for (const r of refs)
      if (str(r['kind']) === 'ConfigMap' && str(r['name'])) out.add(`${namespace}/${str(r['name'])}`);
  };
  for (const k of objects.Kustomization)
    add(k, list(obj(obj(k['spec'])['postBuild'])['substituteFrom']).map(obj));
  for (const h of objects.HelmRelease) add(h, list(obj(h['spec'])['valuesFrom']).map(obj));
  return [...out].sort();
}
