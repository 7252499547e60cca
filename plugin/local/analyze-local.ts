// `analyze --local`: desired state from a repository, live state from the cluster, verdicts from
// the engine. Nothing is stored. Parse errors are returned with the results so the caller can
// report them and still print everything that could be analysed. `diff`/`revert --local` read the
// repository and the cluster through the same loadLocal.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  analyzeAll,
  defaultEngineOptions,
  parseManifests,
  type DesiredObject,
  type EngineOptions,
  type ParseError,
} from '../../shared/engine/index.ts';
import type { DriftResult, KubeObject } from '../../shared/types.ts';
import { checkoutRepo } from './repo.ts';
import { readManifestFiles } from './files.ts';
import { readCrdSchemas } from '../../shared/node/kube/crds.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { readLiveObjects } from '../../shared/node/kube/live.ts';

export interface LocalAnalysisOptions {
  repo: string;
  branch?: string;
  path?: string;
  /** Only desired objects in this namespace (cluster-scoped objects are left out too). */
  namespace?: string;
  /** Namespace for manifests that name none, as `kubectl apply` would use. */
  defaultNamespace: string;
}

export interface LocalAnalysis {
  results: DriftResult[];
  errors: ParseError[];
  warnings: string[];
  commit: string | null;
  files: number;
}

/** A repository's desired objects (those `select` keeps) with their live counterparts. */
export interface LocalState {
  desired: DesiredObject[];
  live: Map<string, KubeObject>;
  engine: EngineOptions;
  errors: ParseError[];
  warnings: string[];
  commit: string | null;
  files: number;
}

export async function loadLocal(
  kc: KubeConfig,
  opts: LocalAnalysisOptions,
  select: (d: DesiredObject) => boolean = () => true,
): Promise<LocalState> {
  const repo = await checkoutRepo(opts.repo, opts.branch);
  try {
    const files = readManifestFiles(repo.dir, opts.path);
    // Scope and CRD schemas from the server itself: a cluster-scoped custom resource gets no
    // namespace, and a custom resource gets its schema's defaults before it is compared.
    const discovery = new Discovery(kc);
    const [scopes, crds] = await Promise.all([discovery.scopes(), readCrdSchemas(kc)]);
    const engine = defaultEngineOptions({
      defaultNamespace: opts.defaultNamespace,
      scopes,
      ...(crds.ok ? { crdSchemas: crds.schemas } : {}),
    });
    const parsed = parseManifests(files, engine);
    const desired = parsed.objects.filter(
      (d) => (opts.namespace === undefined || d.object.metadata['namespace'] === opts.namespace) && select(d),
    );
    const { live, unserved } = await readLiveObjects(kc, desired, discovery);
    const warnings = [
      ...parsed.warnings.map((w) => `${w.file}: ${w.message}`),
      ...unserved.map((k) => `the cluster does not serve ${k}: its objects are reported as Missing`),
      ...(crds.ok ? [] : [crds.message]),
    ];
    return {
      desired,
      live,
      engine,
      errors: parsed.errors,
      warnings,
      commit: repo.commit,
      files: files.length,
    };
  } finally {
    repo.cleanup();
  }
}

export async function analyzeLocal(kc: KubeConfig, opts: LocalAnalysisOptions): Promise<LocalAnalysis> {
  const s = await loadLocal(kc, opts);
  const results = analyzeAll(s.desired, s.live, s.engine, { gitCommit: s.commit });
  return { results, errors: s.errors, warnings: s.warnings, commit: s.commit, files: s.files };
}
