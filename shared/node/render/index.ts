// The renderer both the agent and the plugin use: from a checkout and a source's settings to the
// desired objects, the same way everywhere. Plain directories are parsed as they are; Kustomize and
// Helm sources run the real tool (twice on a cache miss, to find unstable fields), then hooks and
// test pods are set aside, origins become source files, and namespaces are defaulted by the parser.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import {
  parseManifests,
  type DesiredObject,
  type IgnoreRule,
  type KindScopes,
  type ParseError,
} from '../../engine/index.ts';
import type { JsonValue } from '../../types.ts';
import { listSourceFiles, normalizeSourcePath, sourceRoot } from '../source-files.ts';
import { cacheKey, RenderCache } from './cache.ts';
import { parseFiles, type ParsedFileStore } from './parsed-files.ts';
import { refuseRemoteDependencies, type DependencyFetcher, type FetchedDependency } from './deps/index.ts';
import { resolveType } from './detect.ts';
import { RenderError } from './errors.ts';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_TIMEOUT_MS,
  runTool,
  toolEnvironment,
  type RunLimits,
} from './exec.ts';
import { helmArgs, secretValues, splitBySource, usesLookup } from './helm.ts';
import { applyOrigins, kustomizeArgs } from './kustomize.ts';
import { hasOverlay, writeOverlay } from './overlay.ts';
import { substituteVariables } from './substitute.ts';
import { checkKustomizeTree, checkSymlinks, kustomizationFile } from './safety.ts';
import type { Tool, Tools } from './tools.ts';
import {
  DEFAULT_HELM,
  DEFAULT_KUSTOMIZE,
  type ClusterInfo,
  type HelmOptions,
  type KustomizeOptions,
  type KustomizeOverlay,
  type Rendered,
  type Skipped,
  type SourceType,
} from './types.ts';
import { unstableFields } from './unstable.ts';

export { RenderCache } from './cache.ts';
export type { ParsedFileStore } from './parsed-files.ts';
export {
  DependencyFetcher,
  type AllowedRepository,
  type Credentials,
  type DependencyPolicy,
} from './deps/index.ts';
export { unpackChart } from './deps/untar.ts';
export { hasOverlay } from './overlay.ts';
export { detectType, resolveType } from './detect.ts';
export { RenderError, type RenderStage } from './errors.ts';
export { DEFAULT_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES, type RunLimits } from './exec.ts';
export { findTools, type Tool, type Tools, type ToolPaths } from './tools.ts';
export * from './types.ts';

export interface RenderSpec {
  /** The checkout (one commit) holding the source. */
  repoDir: string;
  /** The source's directory inside it ('' = the root). */
  path: string;
  type: SourceType;
  /** Namespace for objects without one; Helm's --namespace. */
  namespace: string;
  /** The checkout's commit; null (not a Git repository) renders without the cache. */
  commit: string | null;
  kustomize?: Partial<KustomizeOptions> | undefined;
  helm?: Partial<HelmOptions> | undefined;
  /** Remote bases, chart dependencies and helmCharts pulls; off unless the source opts in. */
  network?: boolean | undefined;
  /** A GitOps controller's transforms over the kustomization (a plain directory is then built as one). */
  overlay?: KustomizeOverlay | undefined;
  /** Flux's postBuild variables, substituted in the rendered output. */
  substitute?: Readonly<Record<string, string>> | undefined;
  /** For helm's kube_version/api_versions: auto. */
  cluster?: ClusterInfo | null | undefined;
  /** Kind scopes from discovery: which kinds get the default namespace. */
  scopes?: KindScopes | undefined;
  tools: Tools;
  limits?: Partial<Omit<RunLimits, 'network'>> | undefined;
  cache?: RenderCache | undefined;
  /** A plain directory's files parsed before (the plugin keeps them in the user's cache dir). */
  parsed?: ParsedFileStore | undefined;
  /**
   * Fetches a chart's dependencies from the allowed repositories (config render.helm.repositories)
   * before the offline render; without it a dependency that is not vendored in charts/ is refused.
   */
  dependencies?: DependencyFetcher | undefined;
}

const HOOK = 'helm.sh/hook';

/** What `helm install` adds to every object it creates (pkg/action's ownership metadata). */
export const HELM_RELEASE_METADATA: IgnoreRule[] = [
  { path: 'metadata.labels["app.kubernetes.io/managed-by"]' },
  { path: 'metadata.annotations["meta.helm.sh/release-name"]' },
  { path: 'metadata.annotations["meta.helm.sh/release-namespace"]' },
];

function hookOf(d: DesiredObject): string | null {
  const a = d.object.metadata['annotations'];
  if (!a || typeof a !== 'object' || Array.isArray(a)) return null;
  const h = a[HOOK];
  return typeof h === 'string' ? h : null;
}

/** Helm hooks (and test pods) run at install/test time and are gone afterwards: not compared. */
function setAsideHooks(
  objects: DesiredObject[],
  skipTests: boolean,
): { kept: DesiredObject[]; skipped: Skipped[] } {
  const kept: DesiredObject[] = [];
  const skipped: Skipped[] = [];
  for (const d of objects) {
    const hook = hookOf(d);
    const isTest = hook !== null && hook.split(',').some((h) => h.trim().startsWith('test'));
    if (hook === null || (isTest && !skipTests)) kept.push(d);
    else
      skipped.push({
        id: d.id,
        sourceFile: d.sourceFile,
        reason: isTest ? 'helm test pod' : `helm hook (${hook})`,
      });
  }
  return { kept, skipped };
}

interface Once {
  objects: DesiredObject[];
  errors: ParseError[];
  skipped: Skipped[];
}

function relPath(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

async function renderOnce(
  spec: RenderSpec,
  type: 'kustomize' | 'helm',
  tool: Tool,
  repoDir: string,
  dir: string,
  helm: HelmOptions,
  kustomize: KustomizeOptions,
  deps: FetchedDependency[],
): Promise<Once> {
  const tmp = mkdtempSync(join(tmpdir(), 'driftguard-render-'));
  try {
    const network = spec.network ?? false;
    const limits: RunLimits = {
      timeoutMs: spec.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputBytes: spec.limits?.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      network,
    };
    const env = toolEnvironment(tmp, network);
    const scrubPaths = [tmp, repoDir, spec.repoDir];
    let output: string;
    let files;
    if (type === 'helm') {
      const chart = deps.length > 0 ? chartWithDependencies(dir, deps, tmp) : dir;
      const { args } = helmArgs(repoDir, dir, spec.namespace, helm, spec.cluster ?? null, tmp, chart);
      output = await runTool({
        tool: `helm ${tool.version}`,
        file: tool.file,
        args: [...tool.prefix, ...args],
        cwd: tmp,
        env,
        limits,
        scrubPaths,
        scrubSecrets: secretValues(helm),
      });
      files = splitBySource(output, repoDir, dir);
    } else {
      // A plain directory under a controller's substitutions gets a generated kustomization too.
      const kdir =
        hasOverlay(spec.overlay) || kustomizationFile(dir) === null
          ? writeOverlay(tmp, repoDir, dir, normalizeSourcePath(spec.path), spec.overlay ?? {})
          : dir;
      output = await runTool({
        tool: `${tool.name} ${tool.version}`,
        file: tool.file,
        args: kustomizeArgs(tool, kdir, kustomize, spec.tools.helm),
        cwd: tmp,
        env,
        limits,
        scrubPaths,
        scrubSecrets: [],
      });
      const kfile = kustomizationFile(dir);
      files = [{ path: relPath(repoDir, kfile ?? join(dir, 'kustomization.yaml')), content: output }];
    }
    if (spec.substitute)
      files = files.map((f) => ({
        ...f,
        content: substituteVariables(
          typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8'),
          spec.substitute ?? {},
        ),
      }));
    const parsed = parseManifests(
      files.map((f) => ({ ...f, path: /\.(ya?ml|json)$/i.test(f.path) ? f.path : `${f.path}.yaml` })),
      { defaultNamespace: spec.namespace, scopes: spec.scopes },
    );
    if (type === 'kustomize') {
      applyOrigins(parsed.objects, repoDir, dir);
      // A document number in kustomize's output stream means nothing in the user's files.
      for (const d of parsed.objects) delete d.sourceDocument;
    }
    const { kept, skipped } = setAsideHooks(parsed.objects, helm.skip_tests);
    return { objects: kept, errors: parsed.errors, skipped };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A copy of the chart with the fetched archives in its charts/, as `helm dependency build` leaves
 * it: the checkout itself is never written.
 */
function chartWithDependencies(dir: string, deps: FetchedDependency[], tmp: string): string {
  const copy = join(tmp, 'chart');
  cpSync(dir, copy, { recursive: true, dereference: true });
  mkdirSync(join(copy, 'charts'), { recursive: true });
  for (const d of deps) copyFileSync(d.file, join(copy, 'charts', `${d.name}-${d.resolved}.tgz`));
  return copy;
}

function renderDirectory(spec: RenderSpec, repoDir: string, started: number): Rendered {
  const files = listSourceFiles(repoDir, spec.path).map((path) => ({
    path,
    content: readFileSync(join(repoDir, path)),
  }));
  const parsed = parseFiles(files, { defaultNamespace: spec.namespace, scopes: spec.scopes }, spec.parsed);
  return {
    type: 'directory',
    tool: null,
    objects: parsed.objects,
    errors: parsed.errors,
    warnings: parsed.warnings.map((w) => `${w.file}: ${w.message}`),
    skipped: [],
    unstable: [],
    notCompared: [],
    usesLookup: false,
    cached: false,
    durationMs: performance.now() - started,
  };
}

/** The chart's remote dependencies, fetched through the allowed repositories (or refused). */
async function chartDependencies(
  spec: RenderSpec,
  dir: string,
  warnings: string[],
): Promise<FetchedDependency[]> {
  if (!spec.dependencies) {
    refuseRemoteDependencies(dir);
    return [];
  }
  return spec.dependencies.fetch(dir, warnings);
}

export async function render(spec: RenderSpec): Promise<Rendered> {
  const started = performance.now();
  const repoDir = realpathSync(spec.repoDir);
  const dir = sourceRoot(repoDir, spec.path);
  const resolved = resolveType(spec.type, dir);
  // A controller's transforms or substitutions over a plain directory: built as a kustomization
  // generated from its manifests, as Flux does.
  const transformed = hasOverlay(spec.overlay) || spec.substitute !== undefined;
  const generated = transformed && resolved !== 'helm' && kustomizationFile(dir) === null;
  const type = generated ? 'kustomize' : resolved;
  checkSymlinks(repoDir);
  if (type === 'directory') return renderDirectory(spec, repoDir, started);

  const tool = type === 'helm' ? spec.tools.helm : spec.tools.kustomize;
  if (!tool)
    throw new RenderError(
      'tool',
      type === 'helm'
        ? 'no helm found: put helm on PATH or set DRIFTGUARD_HELM'
        : 'no kustomize found: put kustomize (or kubectl) on PATH or set DRIFTGUARD_KUSTOMIZE',
    );
  const helm: HelmOptions = { ...DEFAULT_HELM, ...spec.helm };
  const kustomize: KustomizeOptions = { ...DEFAULT_KUSTOMIZE, ...spec.kustomize };
  const network = spec.network ?? false;
  if (type === 'kustomize' && !generated)
    checkKustomizeTree(repoDir, dir, { allowNetwork: network, enableHelm: kustomize.enable_helm });

  const warnings: string[] = [];
  const deps = type === 'helm' ? await chartDependencies(spec, dir, warnings) : [];
  const cluster = spec.cluster ?? null;
  const controller = {
    ...(hasOverlay(spec.overlay) ? { overlay: spec.overlay } : {}),
    ...(spec.substitute ? { substitute: spec.substitute } : {}),
  };
  const params = (type === 'helm'
    ? {
        helm,
        network,
        ...controller,
        ...(deps.length > 0 ? { dependencies: deps.map((d) => `${d.name}@${d.resolved}:${d.digest}`) } : {}),
      }
    : { kustomize, network, ...controller }) as unknown as JsonValue;
  const key =
    spec.cache && spec.commit
      ? cacheKey({
          tool: tool.name,
          version: tool.version,
          commit: spec.commit,
          path: normalizeSourcePath(spec.path),
          params: {
            type,
            namespace: spec.namespace,
            // Scopes decide the namespace of every rendered object: part of what the cache holds.
            clusterScoped: [...(spec.scopes ?? new Map<string, boolean>())]
              .filter(([, namespaced]) => !namespaced)
              .map(([k]) => k)
              .sort(),
            ...(params as object),
          } as JsonValue,
          kubeVersion:
            type === 'helm' && helm.kube_version === 'auto' ? (cluster?.kubeVersion ?? null) : null,
          apiVersions: type === 'helm' && helm.api_versions === 'auto' ? (cluster?.apiVersions ?? []) : [],
        })
      : null;
  const hit = key ? spec.cache?.get(key) : undefined;
  if (hit) return { ...hit, cached: true, durationMs: performance.now() - started };

  const first = await renderOnce(spec, type, tool, repoDir, dir, helm, kustomize, deps);
  const second = await renderOnce(spec, type, tool, repoDir, dir, helm, kustomize, deps);
  const { unstable, unmatched } = unstableFields(first.objects, second.objects, spec.namespace);
  const lookup = type === 'helm' && usesLookup(dir);
  if (lookup)
    warnings.push(
      `${relPath(repoDir, dir) || '.'}: the chart calls lookup, which helm template renders empty; objects built from it may differ from the cluster`,
    );
  if (unmatched.length > 0)
    warnings.push(`object(s) named differently on each render, not compared: ${unmatched.join(', ')}`);
  const unmatchedSet = new Set(unmatched);
  const result: Rendered = {
    type,
    tool: `${tool.name} ${tool.version}`,
    objects: first.objects.filter((d) => !unmatchedSet.has(d.id)),
    errors: first.errors,
    warnings,
    skipped: [...first.skipped].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    unstable,
    notCompared: type === 'helm' || kustomize.enable_helm ? HELM_RELEASE_METADATA : [],
    usesLookup: lookup,
    cached: false,
    durationMs: performance.now() - started,
  };
  if (key) spec.cache?.set(key, result);
  return result;
}
export { clusterInfo, type JsonGet } from './cluster-info.ts';
