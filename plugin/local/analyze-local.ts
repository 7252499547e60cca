// `analyze --local`: desired state from a repository (rendered with kustomize or helm when the path
// holds a kustomization or a chart, exactly as the agent renders it), live state from the cluster,
// verdicts from the engine. Nothing is stored. Parse errors are returned with the results so the
// caller can report them and still print everything that could be analysed; a render error throws
// (RenderError). `diff`/`revert --local` read the repository and the cluster through the same loadLocal.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  defaultEngineOptions,
  hasFinishedTtl,
  isClusterScoped,
  kindKeyOf,
  type DesiredObject,
  type EngineOptions,
  type KindScopes,
  type ParseError,
} from '../../shared/engine/index.ts';
import {
  clusterInfo,
  findTools,
  render,
  resolveType,
  type DependencyFetcher,
  type HelmOptions,
  type Rendered,
  type RenderedType,
  type SourceType,
} from '../../shared/node/render/index.ts';
import { normalizeSourcePath, sourceRoot } from '../../shared/node/source-files.ts';
import type { DriftResult, KubeObject } from '../../shared/types.ts';
import { readCrdSchemas, type CrdRead } from '../../shared/node/kube/crds.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { readAutoscaled } from '../../shared/node/kube/autoscaled.ts';
import { finishedJobsFromEvents } from '../../shared/node/kube/job-evidence.ts';
import { readLiveObjects, type UnreadableKinds } from '../../shared/node/kube/live.ts';
import { builtinApiVersions, readListTables } from '../../shared/node/kube/openapi-lists.ts';
import { kubeGet } from '../../shared/node/kube/rest.ts';
import { confirmStats, localConfirm, type ConfirmStats } from './confirm-local.ts';
import { defaultListTableDir, ListTableCache } from './list-table-cache.ts';
import { defaultParseCacheDir, ParseCache } from './parse-cache.ts';
import { checkoutRepo, isRepoUrl, type CheckedOutRepo } from './repo.ts';

export interface LocalAnalysisOptions {
  repo: string;
  branch?: string | undefined;
  path?: string | undefined;
  /** Only desired objects in this namespace (cluster-scoped objects are left out too). */
  namespace?: string | undefined;
  /** Namespace for manifests that name none, as `kubectl apply` would use; Helm's --namespace. */
  defaultNamespace: string;
  type?: SourceType | undefined;
  helm?: Partial<HelmOptions> | undefined;
  /** Confirm suspected drift with a dry-run (default true; `--confirm=false` turns it off). */
  confirm?: boolean | undefined;
  discovery?: Discovery | undefined;
  /**
   * A chart's dependencies from the repositories of the agent's config (analyze --local --config);
   * absent: a dependency not vendored in charts/ is refused, naming its repository.
   */
  dependencies?: DependencyFetcher | undefined;
  /**
   * Where a plain directory's parsed files are kept between runs: by default the user's cache dir
   * when running from the bundle (none from sources); null: none.
   */
  parseCacheDir?: string | null | undefined;
  /** Where the list tables derived from the served OpenAPI are kept, by the same rule. */
  listTableDir?: string | null | undefined;
}

/** How the desired state was produced: type, tool and version, what was set aside. */
export type RenderSummary = Pick<
  Rendered,
  'type' | 'tool' | 'skipped' | 'unstable' | 'usesLookup' | 'durationMs'
>;

/** A local analysis: the state's facts (their objects in `results`, not Missing when unreadable). */
export interface LocalAnalysis extends Pick<
  LocalState,
  'errors' | 'warnings' | 'commit' | 'render' | 'objects' | 'unreadable'
> {
  results: DriftResult[];
  /** How many objects were confirmed with the server and how many requests that took. */
  confirm: ConfirmStats;
}

/** A repository's desired objects (those `select` keeps) with their live counterparts. */
export interface LocalState {
  desired: DesiredObject[];
  live: Map<string, KubeObject>;
  /** With the source's unstable fields as ignore rules: they are never drift. */
  engine: EngineOptions;
  errors: ParseError[];
  warnings: string[];
  commit: string | null;
  render: RenderSummary;
  /** Desired objects the source rendered to (before the -n filter). */
  objects: number;
  /** Group versions the cluster could not describe or list; their objects are not in `desired`. */
  unreadable: UnreadableKinds[];
  /** The server's discovery, as read for this analysis (the confirm stage reuses it). */
  discovery: Discovery;
}

/** Desired objects whose live counterpart has been read (absent from `live` when not found). */
export type OnLiveRead = (
  ready: readonly DesiredObject[],
  live: ReadonlyMap<string, KubeObject>,
  engine: EngineOptions,
  commit: string | null,
) => void;

export async function loadLocal(
  kc: KubeConfig,
  opts: LocalAnalysisOptions,
  select: (d: DesiredObject) => boolean = () => true,
  onLiveRead?: OnLiveRead,
): Promise<LocalState> {
  const repo = await checkoutRepo(opts.repo, opts.branch);
  try {
    const discovery = opts.discovery ?? new Discovery(kc);
    const rendered =
      sourceTypeAt(repo.dir, opts) === 'directory'
        ? await renderPlain(repo, opts, discovery)
        : await renderWithTool(kc, repo, opts, discovery);
    const { scopes } = rendered;
    // Custom resources get their CRD schema's defaults before they are compared; manifests of
    // built-in kinds only need no CRD at all.
    // Concurrently with the CRDs: the served list tables of the built-in group-versions in play.
    const tableDir = opts.listTableDir === undefined ? defaultListTableDir() : opts.listTableDir;
    const listsRead = readListTables(
      kc,
      builtinApiVersions(rendered.objects.map((d) => d.object.apiVersion)),
      tableDir === null ? undefined : new ListTableCache(tableDir),
    );
    const crds: CrdRead = rendered.objects.some((d) => kindKeyOf(d.object) !== d.object.kind)
      ? await readCrdSchemas(kc)
      : { ok: true, schemas: new Map(), count: 0 };
    const engine = defaultEngineOptions({
      defaultNamespace: opts.defaultNamespace,
      scopes,
      ...(crds.ok ? { crdSchemas: crds.schemas } : {}),
    });
    engine.rules.ignore = [...(engine.rules.ignore ?? []), ...rendered.unstable, ...rendered.notCompared];
    const inNamespace = (d: DesiredObject): boolean =>
      opts.namespace === undefined || d.object.metadata['namespace'] === opts.namespace;
    const desired = rendered.objects.filter((d) => inNamespace(d) && select(d));
    // Before any verdict: which workloads an autoscaler scales (the others' unowned replicas are a scale by hand).
    const autoscaled = await readAutoscaled(
      kc,
      desired.filter(leavesReplicas).map((d) => String(d.object.metadata['namespace'])),
    );
    if (autoscaled.ids) engine.autoscaled = autoscaled.ids;
    const lists = await listsRead;
    if (lists.tables.size > 0) engine.listTables = lists.tables;
    const byId = onLiveRead ? new Map(desired.map((d) => [d.id, d])) : null;
    const { live, unserved, unreadable } = await readLiveObjects(
      kc,
      desired,
      discovery,
      byId
        ? (ids, read) =>
            onLiveRead?.(
              ids.map((id) => byId.get(id)).filter((d) => d !== undefined),
              read,
              engine,
              repo.commit,
            )
        : undefined,
    );
    // Groups discovery could not read that no desired object is in are still worth a line: the
    // user sees why a kind they expected may be missing from the render's Capabilities.
    const groups: UnreadableKinds[] = [
      ...unreadable,
      ...discovery
        .unreadable()
        .filter((g) => !unreadable.some((u) => u.apiVersion === g.apiVersion))
        .map((g) => ({ ...g, kinds: [], ids: [] })),
    ];
    const skip = new Set(unreadable.flatMap((u) => u.ids));
    const jobs = await finishedJobsFromEvents(
      kc,
      desired.filter((d) => gone(d, live) && !skip.has(d.id)).map(jobRef),
    );
    engine.finishedJobs = jobs.finished;
    const warnings = [
      ...rendered.warnings,
      ...unserved.map((k) => `the cluster does not serve ${k}: its objects are reported as Missing`),
      ...(crds.ok ? [] : [crds.message]),
      ...lists.problems,
      ...groups.map(unreadableWarning),
      ...(jobs.warning ? [jobs.warning] : []),
      ...(autoscaled.warning ? [autoscaled.warning] : []),
      ...leftOut(
        rendered.objects.filter((d) => !inNamespace(d)),
        opts.namespace,
      ),
    ];
    const { type, tool, skipped, unstable, usesLookup, durationMs } = rendered;
    return {
      desired: skip.size > 0 ? desired.filter((d) => !skip.has(d.id)) : desired,
      live,
      engine,
      errors: rendered.errors,
      warnings,
      commit: repo.commit,
      render: { type, tool, skipped, unstable, usesLookup, durationMs },
      objects: rendered.objects.length,
      unreadable: groups,
      discovery,
    };
  } finally {
    repo.cleanup();
  }
}

/** A Job Git lets its TTL remove, absent live: whether it finished is asked of its Events. */
function gone(d: DesiredObject, live: ReadonlyMap<string, KubeObject>): boolean {
  return hasFinishedTtl(d.object) && !live.has(d.id);
}

function jobRef(d: DesiredObject): { id: string; namespace: string; name: string } {
  return {
    id: d.id,
    namespace: String(d.object.metadata['namespace']),
    name: String(d.object.metadata['name']),
  };
}

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** A workload whose replica count Git leaves to the cluster (an autoscaler, or the default). */
function leavesReplicas(d: DesiredObject): boolean {
  const spec = d.object['spec'];
  return (
    SCALABLE.has(d.object.kind) &&
    !d.object.apiVersion.includes('.') &&
    (typeof spec !== 'object' || spec === null || !('replicas' in spec))
  );
}

const NAMED = 5;

/** What `-n` set aside that belongs to no namespace (a chart's ClusterRoles, CRDs...), said rather than silently dropped. */
function leftOut(out: readonly DesiredObject[], namespace: string | undefined): string[] {
  if (namespace === undefined || out.length === 0) return [];
  // The Namespace -n names is the user's own choice, not something left out behind their back.
  const clusterScoped = out.filter(
    (d) =>
      d.object.metadata['namespace'] === undefined &&
      !(d.object.kind === 'Namespace' && d.object.metadata['name'] === namespace),
  );
  const names = clusterScoped.map((d) => `${d.object.kind}/${String(d.object.metadata['name'])}`);
  const shown =
    names.slice(0, NAMED).join(', ') + (names.length > NAMED ? `, … ${names.length - NAMED} more` : '');
  if (clusterScoped.length === 0) return [];
  return [
    `-n ${namespace}: ${clusterScoped.length} cluster-scoped object(s) not analysed (${shown}); run without -n to include them`,
  ];
}

function unreadableWarning(u: UnreadableKinds): string {
  const what =
    u.kinds.length > 0
      ? `${u.ids.length} object(s) of kind ${u.kinds.join(', ')} not analysed`
      : 'no object of the source is in it';
  return `cannot read ${u.apiVersion} from the cluster (${u.reason}): ${what}`;
}

/** The type --path renders as; null when the path is bad (render then says why). */
function sourceTypeAt(repoDir: string, opts: LocalAnalysisOptions): RenderedType | null {
  try {
    return resolveType(opts.type ?? 'auto', sourceRoot(realpathSync(repoDir), opts.path ?? ''));
  } catch {
    return null;
  }
}

type WithScopes = Rendered & { scopes: KindScopes };

/**
 * Plain manifests: no tool to find and no cluster facts to ask. Scope and CRD schemas come from the
 * server itself (a cluster-scoped custom resource gets no namespace), but only for the kinds the
 * files name: parsed first with the built-in table, then again only if discovery says a named kind's
 * scope differs from what the table assumed, so the result is the same as with full discovery.
 */
async function renderPlain(
  repo: CheckedOutRepo,
  opts: LocalAnalysisOptions,
  discovery: Discovery,
): Promise<WithScopes> {
  const cacheDir = opts.parseCacheDir === undefined ? defaultParseCacheDir() : opts.parseCacheDir;
  const parsed =
    cacheDir === null
      ? undefined
      : new ParseCache(cacheDir, {
          repo: isRepoUrl(opts.repo) ? opts.repo : resolve(opts.repo),
          branch: opts.branch,
          path: normalizeSourcePath(opts.path),
        });
  const spec = {
    repoDir: repo.dir,
    path: opts.path ?? '',
    type: 'directory' as const,
    namespace: opts.defaultNamespace,
    commit: repo.commit,
    tools: { kustomize: null, helm: null },
    parsed,
  };
  const first = await render(spec);
  const scopes = await discovery.scopesOf(first.objects.map((d) => d.object));
  const differs = [...scopes].some(([key, namespaced]) => isClusterScoped(key) === namespaced);
  const rendered = differs ? await render({ ...spec, scopes }) : first;
  // Before anything changes the objects handed out.
  parsed?.save();
  return { ...rendered, scopes };
}

/** Kustomize and Helm: every kind's scope goes to the tool, and a chart may ask for Capabilities. */
async function renderWithTool(
  kc: KubeConfig,
  repo: CheckedOutRepo,
  opts: LocalAnalysisOptions,
  discovery: Discovery,
): Promise<WithScopes> {
  const get = async (path: string): Promise<unknown> => {
    const res = await kubeGet(kc, path);
    return res.status === 200 ? res.body : null;
  };
  const maybeHelm = opts.type === 'helm' || opts.type === 'auto' || opts.type === undefined;
  const needsCluster =
    maybeHelm &&
    ((opts.helm?.kube_version ?? 'auto') === 'auto' || (opts.helm?.api_versions ?? 'auto') === 'auto');
  const scopes = await discovery.scopes();
  const rendered = await render({
    repoDir: repo.dir,
    path: opts.path ?? '',
    type: opts.type ?? 'auto',
    namespace: opts.defaultNamespace,
    commit: repo.commit,
    helm: opts.helm,
    dependencies: opts.dependencies,
    scopes,
    tools: await findTools(),
    // Only asked when a chart may need Capabilities; a failure leaves helm's defaults.
    cluster: needsCluster ? await clusterInfo(get).catch(() => null) : null,
  });
  return { ...rendered, scopes };
}

export async function analyzeLocal(kc: KubeConfig, opts: LocalAnalysisOptions): Promise<LocalAnalysis> {
  // Each collection is analysed as soon as it is read, while the API server answers the next
  // requests; what no request covered (kinds the cluster does not serve) is analysed at the end.
  // Suspected drift is confirmed with the server meanwhile (a promise per such object).
  const discovery = opts.discovery ?? new Discovery(kc);
  const confirm = localConfirm(kc, discovery, opts.confirm !== false);
  const done = new Map<string, DriftResult | Promise<DriftResult>>();
  const s = await loadLocal(kc, { ...opts, discovery }, undefined, (ready, live, engine, commit) => {
    for (const d of ready)
      if (!gone(d, live)) done.set(d.id, confirm.verdict(d, live.get(d.id), engine, { gitCommit: commit }));
  });
  const results = await Promise.all(
    s.desired.map(
      (d) => done.get(d.id) ?? confirm.verdict(d, s.live.get(d.id), s.engine, { gitCommit: s.commit }),
    ),
  );
  return {
    results,
    errors: s.errors,
    warnings: s.warnings,
    commit: s.commit,
    render: s.render,
    objects: s.objects,
    unreadable: s.unreadable,
    confirm: confirmStats(confirm),
  };
}
