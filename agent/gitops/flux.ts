// Flux objects → sources named `flux/<namespace>/<name>`. A `Kustomization` (kustomize.toolkit.fluxcd.io/v1)
// over a `GitRepository` (source.toolkit.fluxcd.io/v1): url and ref (branch, tag, commit, name),
// path, targetNamespace, namePrefix/Suffix, images, patches, commonMetadata, postBuild.substitute
// and substituteFrom ConfigMaps (a Secret's values are never read). A `HelmRelease`
// (helm.toolkit.fluxcd.io/v2) whose chart lives in a GitRepository, a HelmRepository (HTTP or
// `type: oci`) or, through chartRef, an OCIRepository (chart-pull.ts): the chart, values,
// valuesFiles, valuesFrom ConfigMaps, releaseName, targetNamespace. What else changes the render
// is named as unsupported. Pure: the objects and ConfigMaps come in, sources go out.
import { parse } from 'yaml';
import type { IgnoreRule } from '../../shared/engine/index.ts';
import { DEFAULT_HELM, DEFAULT_KUSTOMIZE, type KustomizeOverlay } from '../../shared/node/render/types.ts';
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import type { ChartPull, RepoSpec } from '../git/source-spec.ts';
import { fromHelmRepository, fromOciRepository, type ChartRepositories } from './chart-pull.ts';
import {
  list,
  metaOf,
  obj,
  str,
  stringMap,
  type DiscoverContext,
  type DiscoveredSource,
} from './discovered.ts';

/** What kustomize-controller stamps on what it applies. */
const FLUX_KUSTOMIZE_TRACKING: IgnoreRule[] = [
  { path: 'metadata.labels["kustomize.toolkit.fluxcd.io/name"]' },
  { path: 'metadata.labels["kustomize.toolkit.fluxcd.io/namespace"]' },
];
/** What helm-controller stamps beside Helm's own release metadata. */
const FLUX_HELM_TRACKING: IgnoreRule[] = [
  { path: 'metadata.labels["helm.toolkit.fluxcd.io/name"]' },
  { path: 'metadata.labels["helm.toolkit.fluxcd.io/namespace"]' },
];

/** GitRepositories by `namespace/name`. */
export type GitRepositories = ReadonlyMap<string, JsonObject>;

function nameOf(o: JsonObject): string {
  const { namespace, name } = metaOf(o);
  return `flux/${namespace}/${name}`;
}

/** The GitRepository a sourceRef names, as a checkout; a reason when it is not one the agent can follow. */
function gitCheckout(
  ref: JsonObject,
  ownNamespace: string,
  repos: GitRepositories,
  ctx: DiscoverContext,
  path: string,
  unsupported: string[],
): RepoSpec | null {
  const kind = str(ref['kind']) ?? 'GitRepository';
  const key = `${str(ref['namespace']) ?? ownNamespace}/${str(ref['name']) ?? ''}`;
  if (kind !== 'GitRepository') {
    unsupported.push(`sourceRef kind ${kind} (${key}) is not followed; only GitRepository`);
    return null;
  }
  const repo = repos.get(key);
  if (!repo) {
    unsupported.push(`GitRepository ${key} does not exist (or may not be read)`);
    return null;
  }
  const spec = obj(repo['spec']);
  const url = str(spec['url']);
  if (!url) {
    unsupported.push(`GitRepository ${key} has no url`);
    return null;
  }
  const r = obj(spec['ref']);
  if (str(r['semver']))
    unsupported.push(`GitRepository ${key}: ref.semver is not resolved (its default branch is read)`);
  if (str(obj(spec['secretRef'])['name']))
    unsupported.push(
      `GitRepository ${key}: secretRef credentials are not read (the agent's git.auth is used)`,
    );
  if (spec['include'] !== undefined || spec['recurseSubmodules'] === true)
    unsupported.push(`GitRepository ${key}: include and recurseSubmodules are not followed`);
  if (spec['verify'] !== undefined)
    unsupported.push(`GitRepository ${key}: commit signatures are not verified`);
  // Flux's default ref is the branch master.
  const branch = str(r['commit']) ?? str(r['name']) ?? str(r['tag']) ?? str(r['branch']) ?? 'master';
  return { ...ctx.git, url, branch: branch.replace(/^refs\/(heads|tags)\//, ''), path };
}

/** postBuild.substitute with substituteFrom ConfigMaps merged in (later entries win, inline last). */
function substitutions(
  postBuild: JsonObject,
  namespace: string,
  ctx: DiscoverContext,
  unsupported: string[],
): Record<string, string> | undefined {
  const vars: Record<string, string> = {};
  let any = false;
  for (const from of list(postBuild['substituteFrom']).map(obj)) {
    const kind = str(from['kind']);
    const name = str(from['name']) ?? '';
    any = true;
    if (kind === 'Secret') {
      unsupported.push(`postBuild.substituteFrom Secret ${name} is never read; its variables stay unset`);
      continue;
    }
    const data = ctx.configMap(namespace, name);
    if (!data) {
      if (from['optional'] !== true)
        unsupported.push(`postBuild.substituteFrom ConfigMap ${name} does not exist (or may not be read)`);
      continue;
    }
    Object.assign(vars, data);
  }
  const inline = stringMap(postBuild['substitute']);
  if (Object.keys(inline).length > 0) any = true;
  Object.assign(vars, inline);
  return any ? vars : undefined;
}

function fluxOverlay(spec: JsonObject, unsupported: string[]): KustomizeOverlay {
  const overlay: KustomizeOverlay = {};
  const ns = str(spec['targetNamespace']);
  if (ns) overlay.namespace = ns;
  const prefix = str(spec['namePrefix']);
  const suffix = str(spec['nameSuffix']);
  if (prefix) overlay.name_prefix = prefix;
  if (suffix) overlay.name_suffix = suffix;
  const images = list(spec['images']).flatMap((i) => {
    const o = obj(i);
    const name = str(o['name']);
    if (!name) return [];
    const newName = str(o['newName']);
    const newTag = str(o['newTag']);
    const digest = str(o['digest']);
    return [
      { name, ...(newName ? { newName } : {}), ...(newTag ? { newTag } : {}), ...(digest ? { digest } : {}) },
    ];
  });
  if (images.length) overlay.images = images;
  const patches = list(spec['patches']).flatMap((p) => {
    const text = str(obj(p)['patch']);
    const target = stringMap(obj(p)['target']);
    return text ? [{ patch: text, ...(Object.keys(target).length ? { target } : {}) }] : [];
  });
  if (patches.length) overlay.patches = patches;
  const meta = obj(spec['commonMetadata']);
  const labels = stringMap(meta['labels']);
  const annotations = stringMap(meta['annotations']);
  if (Object.keys(labels).length) overlay.labels = labels;
  if (Object.keys(annotations).length) overlay.annotations = annotations;
  if (list(spec['components']).length > 0) unsupported.push('components are not applied');
  if (str(obj(spec['decryption'])['provider']))
    unsupported.push('decryption (SOPS) is not run; encrypted values stay encrypted');
  if (Object.keys(obj(spec['kubeConfig'])).length > 0)
    unsupported.push('kubeConfig: it applies to another cluster, compared with this one');
  return overlay;
}

export function fromKustomization(
  ks: JsonObject,
  repos: GitRepositories,
  ctx: DiscoverContext,
): DiscoveredSource {
  const name = nameOf(ks);
  const { namespace } = metaOf(ks);
  const spec = obj(ks['spec']);
  const unsupported: string[] = [];
  const git = gitCheckout(
    obj(spec['sourceRef']),
    namespace,
    repos,
    ctx,
    str(spec['path']) ?? '',
    unsupported,
  );
  const overlay = fluxOverlay(spec, unsupported);
  const substitute = substitutions(obj(spec['postBuild']), namespace, ctx, unsupported);
  if (!git) return { name, spec: null, unsupported };
  return {
    name,
    unsupported,
    spec: {
      name,
      git,
      type: 'auto',
      namespace: str(spec['targetNamespace']) ?? ctx.namespace,
      kustomize: { ...DEFAULT_KUSTOMIZE },
      helm: structuredClone(DEFAULT_HELM),
      network: false,
      ...(Object.keys(overlay).length ? { overlay } : {}),
      ...(substitute ? { substitute } : {}),
      ignore: FLUX_KUSTOMIZE_TRACKING,
      notes: unsupported,
    },
  };
}

/** Sets `value` at a dotted path (Flux's valuesFrom targetPath, simple keys only). */
function setPath(values: JsonObject, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let at = values;
  for (const p of parts.slice(0, -1)) {
    const next = obj(at[p]);
    at[p] = next;
    at = next;
  }
  at[parts[parts.length - 1] ?? path] = value;
}

function mergeValues(into: JsonObject, from: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] =
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      cur !== null &&
      typeof cur === 'object' &&
      !Array.isArray(cur)
        ? mergeValues(cur, v)
        : v;
  }
  return into;
}

/** valuesFrom ConfigMaps then spec.values (Flux's order); a Secret is named, never read. */
function releaseValues(
  spec: JsonObject,
  namespace: string,
  ctx: DiscoverContext,
  unsupported: string[],
): JsonObject {
  const values: JsonObject = {};
  for (const from of list(spec['valuesFrom']).map(obj)) {
    const kind = str(from['kind']);
    const name = str(from['name']) ?? '';
    if (kind === 'Secret') {
      unsupported.push(`valuesFrom Secret ${name} is never read; the chart renders without those values`);
      continue;
    }
    const data = ctx.configMap(namespace, name);
    const key = str(from['valuesKey']) ?? 'values.yaml';
    const text = data?.[key];
    if (text === undefined) {
      if (from['optional'] !== true)
        unsupported.push(`valuesFrom ConfigMap ${name} (key ${key}) does not exist (or may not be read)`);
      continue;
    }
    const target = str(from['targetPath']);
    if (target) setPath(values, target, text);
    else
      try {
        mergeValues(values, obj(parse(text) as JsonValue));
      } catch {
        unsupported.push(`valuesFrom ConfigMap ${name} (key ${key}) does not parse as YAML`);
      }
  }
  return mergeValues(values, obj(spec['values']));
}

/** Where the release's chart comes from: a GitRepository checkout or a chart repository. */
function releaseChart(
  spec: JsonObject,
  namespace: string,
  repos: GitRepositories,
  charts: ChartRepositories,
  ctx: DiscoverContext,
  unsupported: string[],
): { git: RepoSpec; chart?: ChartPull } | null {
  if (spec['chartRef'] !== undefined) {
    const ref = obj(spec['chartRef']);
    const kind = str(ref['kind']) ?? '';
    if (kind === 'OCIRepository') {
      const chart = fromOciRepository(ref, namespace, charts, unsupported);
      return chart ? { git: chartOrigin(chart, ctx), chart } : null;
    }
    unsupported.push(`chartRef ${kind} ${str(ref['name']) ?? ''}: only an OCIRepository is followed`);
    return null;
  }
  const chartSpec = obj(obj(spec['chart'])['spec']);
  const ref = obj(chartSpec['sourceRef']);
  const kind = str(ref['kind']) ?? '';
  if (kind === 'HelmRepository') {
    const chart = fromHelmRepository(chartSpec, namespace, charts, unsupported);
    return chart ? { git: chartOrigin(chart, ctx), chart } : null;
  }
  if (kind === 'OCIRepository' || kind === 'Bucket') {
    unsupported.push(
      `chart ${str(chartSpec['chart']) ?? ''} from ${kind} ${str(ref['name']) ?? ''}: only a GitRepository or HelmRepository is followed here (an OCIRepository through chartRef)`,
    );
    return null;
  }
  const git = gitCheckout(ref, namespace, repos, ctx, str(chartSpec['chart']) ?? '', unsupported);
  return git ? { git } : null;
}

/** A chart from a repository has no checkout; its url and name stand in for logs. */
function chartOrigin(chart: ChartPull, ctx: DiscoverContext): RepoSpec {
  return { ...ctx.git, url: chart.repository, branch: chart.version, path: chart.name };
}

export function fromHelmRelease(
  hr: JsonObject,
  repos: GitRepositories,
  ctx: DiscoverContext,
  charts: ChartRepositories = new Map(),
): DiscoveredSource {
  const name = nameOf(hr);
  const { namespace, name: hrName } = metaOf(hr);
  const spec = obj(hr['spec']);
  const unsupported: string[] = [];
  const from = releaseChart(spec, namespace, repos, charts, ctx, unsupported);
  if (list(spec['postRenderers']).length > 0) unsupported.push('postRenderers are not applied');
  if (Object.keys(obj(spec['kubeConfig'])).length > 0)
    unsupported.push('kubeConfig: it applies to another cluster, compared with this one');
  const values = releaseValues(spec, namespace, ctx, unsupported);
  if (!from) return { name, spec: null, unsupported };
  const { git, chart } = from;
  const target = str(spec['targetNamespace']);
  const chartSpec = obj(obj(spec['chart'])['spec']);
  const valuesFiles = list(chartSpec['valuesFiles']).flatMap((f) => (typeof f === 'string' ? [f] : []));
  return {
    name,
    unsupported,
    spec: {
      name,
      git,
      ...(chart ? { chart } : {}),
      type: 'helm',
      namespace: target ?? namespace,
      kustomize: { ...DEFAULT_KUSTOMIZE },
      helm: {
        ...structuredClone(DEFAULT_HELM),
        // helm-controller's default release name: [targetNamespace-]name.
        release: str(spec['releaseName']) ?? (target ? `${target}-${hrName}` : hrName),
        // Flux's valuesFiles are relative to the repository root for a GitRepository, to the
        // chart for a chart repository; the renderer's to the chart.
        values_files: chart ? valuesFiles : valuesFiles.map((f) => relativeToChart(git.path, f)),
        values,
        include_crds: obj(spec['install'])['crds'] !== 'Skip',
      },
      network: false,
      ignore: FLUX_HELM_TRACKING,
      notes: unsupported,
    },
  };
}

function relativeToChart(chartPath: string, file: string): string {
  const depth = chartPath
    .replace(/^\.?\/+/, '')
    .split('/')
    .filter((p) => p !== '' && p !== '.').length;
  return `${'../'.repeat(depth)}${file.replace(/^\.?\/+/, '')}`;
}
