// Argo CD `Application` (argoproj.io/v1alpha1) → a source named `argocd/<app>`: repoURL,
// targetRevision, path, or a `chart` from a Helm chart repository or OCI registry (chart-pull.ts,
// targetRevision as its version); Helm (valueFiles, values/valuesObject, parameters, releaseName, skipCrds,
// skipTests, kubeVersion, apiVersions) and Kustomize (images, namePrefix/Suffix, namespace,
// commonLabels/Annotations, patches) options; destination.namespace as the default namespace.
// Everything else that changes what is rendered is named as unsupported. Pure.
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import type { KustomizeOverlay } from '../../shared/node/render/types.ts';
import type { IgnoreRule } from '../../shared/engine/index.ts';
import { DEFAULT_HELM, DEFAULT_KUSTOMIZE } from '../../shared/node/render/types.ts';
import { parse } from 'yaml';
import type { SourceSpec } from '../git/source-spec.ts';
import { fromArgoChart } from './chart-pull.ts';
import {
  list,
  metaOf,
  obj,
  str,
  stringMap,
  type DiscoverContext,
  type DiscoveredSource,
} from './discovered.ts';

/** What Argo CD stamps on what it applies (label or annotation tracking). */
const ARGO_TRACKING: IgnoreRule[] = [
  { path: 'metadata.labels["app.kubernetes.io/instance"]' },
  { path: 'metadata.annotations["argocd.argoproj.io/tracking-id"]' },
];

/** Options of `spec.source.kustomize` that are modelled; any other set one is reported. */
const KUSTOMIZE_MODELLED = new Set([
  'images',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'commonAnnotations',
  'patches',
  // Only for Capabilities of helmCharts, which the agent's own settings decide.
  'version',
]);
const HELM_MODELLED = new Set([
  'valueFiles',
  'values',
  'valuesObject',
  'parameters',
  'releaseName',
  'skipCrds',
  'skipTests',
  'kubeVersion',
  'apiVersions',
  'namespace',
  'ignoreMissingValueFiles',
  'passCredentials',
  'version',
  'skipSchemaValidation',
]);

/** Argo CD's image override syntax: `[old=]new[:tag][@digest]`, as `kustomize edit set image` reads it. */
export function argoImage(s: string): NonNullable<KustomizeOverlay['images']>[number] {
  const eq = s.indexOf('=');
  const from = eq >= 0 ? s.slice(0, eq) : null;
  let image = eq >= 0 ? s.slice(eq + 1) : s;
  let digest: string | undefined;
  const at = image.indexOf('@');
  if (at >= 0) {
    digest = image.slice(at + 1);
    image = image.slice(0, at);
  }
  let tag: string | undefined;
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) {
    tag = image.slice(colon + 1);
    image = image.slice(0, colon);
  }
  return {
    name: from ?? image,
    ...(from !== null && image !== from ? { newName: image } : {}),
    ...(tag ? { newTag: tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

function setKeys(o: JsonObject): string[] {
  return Object.entries(o)
    .filter(([, v]) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0) && v !== '')
    .map(([k]) => k);
}

function helmValues(h: JsonObject, unsupported: string[]): JsonObject {
  const fromObject = obj(h['valuesObject']);
  if (Object.keys(fromObject).length > 0) return fromObject;
  const text = str(h['values']);
  if (!text) return {};
  try {
    const parsed = parse(text) as JsonValue;
    return obj(parsed);
  } catch (err) {
    unsupported.push(`helm.values does not parse as YAML (${(err as Error).message.split('\n')[0]})`);
    return {};
  }
}

function helmOptions(app: string, h: JsonObject, unsupported: string[]): SourceSpec['helm'] {
  const set: Record<string, string> = {};
  for (const p of list(h['parameters'])) {
    const name = str(obj(p)['name']);
    const value = obj(p)['value'];
    if (name) set[name] = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  }
  if (list(h['fileParameters']).length > 0) unsupported.push('helm.fileParameters are not applied');
  for (const k of setKeys(h))
    if (!HELM_MODELLED.has(k) && k !== 'fileParameters') unsupported.push(`helm.${k} is not applied`);
  const valueFiles = list(h['valueFiles']).flatMap((f) => (typeof f === 'string' ? [f] : []));
  const remote = valueFiles.filter((f) => /^[a-z]+:\/\//i.test(f) || f.startsWith('$'));
  if (remote.length > 0)
    unsupported.push(`helm.valueFiles outside the source's repository are not read: ${remote.join(', ')}`);
  const apiVersions = list(h['apiVersions']).flatMap((v) => (typeof v === 'string' ? [v] : []));
  return {
    ...structuredClone(DEFAULT_HELM),
    // Argo CD names the release after the Application unless told otherwise.
    release: str(h['releaseName']) ?? app,
    values_files: valueFiles.filter((f) => !remote.includes(f)),
    values: helmValues(h, unsupported),
    set,
    include_crds: h['skipCrds'] !== true,
    skip_tests: h['skipTests'] !== false,
    kube_version: str(h['kubeVersion']) ?? DEFAULT_HELM.kube_version,
    api_versions: apiVersions.length > 0 ? apiVersions : DEFAULT_HELM.api_versions,
  };
}

function kustomizeOverlay(k: JsonObject, unsupported: string[]): KustomizeOverlay {
  for (const key of setKeys(k))
    if (!KUSTOMIZE_MODELLED.has(key)) unsupported.push(`kustomize.${key} is not applied`);
  const images = list(k['images']).flatMap((i) => (typeof i === 'string' ? [argoImage(i)] : []));
  const patches = list(k['patches']).flatMap((p) => {
    const text = str(obj(p)['patch']);
    if (!text) {
      unsupported.push('a kustomize.patches entry with a path is not applied');
      return [];
    }
    const target = stringMap(obj(p)['target']);
    return [{ patch: text, ...(Object.keys(target).length ? { target } : {}) }];
  });
  const overlay: KustomizeOverlay = {};
  const prefix = str(k['namePrefix']);
  const suffix = str(k['nameSuffix']);
  const namespace = str(k['namespace']);
  if (prefix) overlay.name_prefix = prefix;
  if (suffix) overlay.name_suffix = suffix;
  if (namespace) overlay.namespace = namespace;
  if (images.length) overlay.images = images;
  if (patches.length) overlay.patches = patches;
  const labels = stringMap(k['commonLabels']);
  const annotations = stringMap(k['commonAnnotations']);
  if (Object.keys(labels).length) overlay.labels = labels;
  if (Object.keys(annotations).length) overlay.annotations = annotations;
  return overlay;
}

/** The one source of `spec.sources` that holds manifests (ref-only entries only lend values files). */
function pickSource(spec: JsonObject, unsupported: string[]): JsonObject | null {
  if (Object.keys(obj(spec['source'])).length > 0) return obj(spec['source']);
  const many = list(spec['sources']).map(obj);
  const withContent = many.filter((s) => str(s['path']) !== undefined || str(s['chart']) !== undefined);
  if (withContent.length > 1) {
    unsupported.push(
      `spec.sources with ${withContent.length} sources of manifests (multiple sources) is not modelled`,
    );
    return null;
  }
  if (many.length > withContent.length)
    unsupported.push(
      'spec.sources entries with only a ref are not read (their $ref values files are left out)',
    );
  return withContent[0] ?? null;
}

export function fromApplication(app: JsonObject, ctx: DiscoverContext): DiscoveredSource {
  const { name: appName } = metaOf(app);
  const name = `argocd/${appName}`;
  const spec = obj(app['spec']);
  const unsupported: string[] = [];
  const source = pickSource(spec, unsupported);
  if (!source) {
    if (unsupported.length === 0) unsupported.push('no spec.source');
    return { name, spec: null, unsupported };
  }
  const repoURL = str(source['repoURL']);
  const chart = str(source['chart']) ? fromArgoChart(source, unsupported) : null;
  if (
    Object.keys(obj(source['plugin'])).length > 0 ||
    (source['plugin'] !== undefined && source['plugin'] !== null)
  )
    unsupported.push('config management plugins are not run');
  const directory = obj(source['directory']);
  if (Object.keys(obj(directory['jsonnet'])).length > 0)
    unsupported.push('directory.jsonnet is not rendered');
  if (str(directory['include']) || str(directory['exclude']))
    unsupported.push('directory.include/exclude are not applied (every manifest of the path is read)');
  if (source['directory'] !== undefined && directory['recurse'] !== true)
    unsupported.push('directory.recurse is false, but the agent reads subdirectories too');
  if (
    !repoURL ||
    (source['chart'] !== undefined && !chart) ||
    unsupported.some((u) => u.startsWith('config management'))
  )
    return { name, spec: null, unsupported: repoURL ? unsupported : [...unsupported, 'no repoURL'] };
  const dest = obj(spec['destination']);
  const namespace = str(dest['namespace']) ?? ctx.namespace;
  const helm = obj(source['helm']);
  // A chart from a chart repository is rendered by helm alone (chart-source.ts): no overlay.
  const kustomize = obj(source['kustomize']);
  if (chart && setKeys(kustomize).length > 0)
    unsupported.push('kustomize options on a chart from a chart repository are not applied');
  const overlay = chart ? {} : kustomizeOverlay(kustomize, unsupported);
  const hasHelm = Object.keys(helm).length > 0;
  return {
    name,
    unsupported,
    spec: {
      name,
      git: {
        ...ctx.git,
        url: repoURL,
        branch: str(source['targetRevision']) ?? 'HEAD',
        // A chart from a chart repository: its name stands in for the path (logs only).
        path: chart?.name ?? str(source['path']) ?? '',
      },
      ...(chart ? { chart } : {}),
      type: chart ? 'helm' : 'auto',
      namespace,
      kustomize: { ...DEFAULT_KUSTOMIZE },
      helm: hasHelm
        ? helmOptions(appName, helm, unsupported)
        : { ...structuredClone(DEFAULT_HELM), release: appName },
      network: false,
      ...(Object.keys(overlay).length ? { overlay } : {}),
      ignore: ARGO_TRACKING,
      notes: unsupported,
    },
  };
}
