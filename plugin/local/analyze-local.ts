// `analyze --local`: desired state from a repository, live state from the cluster, verdicts from
// the engine. Nothing is stored. Parse errors are returned with the results so the caller can
// report them and still print everything that could be analysed.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  analyzeAll,
  defaultEngineOptions,
  parseManifests,
  type ParseError,
} from '../../shared/engine/index.ts';
import type { DriftResult } from '../../shared/types.ts';
import { checkoutRepo } from './repo.ts';
import { readManifestFiles } from './files.ts';
import { readLiveObjects } from './live.ts';

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

export async function analyzeLocal(kc: KubeConfig, opts: LocalAnalysisOptions): Promise<LocalAnalysis> {
  const repo = await checkoutRepo(opts.repo, opts.branch);
  try {
    const files = readManifestFiles(repo.dir, opts.path);
    const engineOpts = defaultEngineOptions({ defaultNamespace: opts.defaultNamespace });
    const parsed = parseManifests(files, engineOpts);
    const desired =
      opts.namespace === undefined
        ? parsed.objects
        : parsed.objects.filter((d) => d.object.metadata['namespace'] === opts.namespace);
    const { live, unserved } = await readLiveObjects(kc, desired);
    const results = analyzeAll(desired, live, engineOpts, { gitCommit: repo.commit });
    const warnings = [
      ...parsed.warnings.map((w) => `${w.file}: ${w.message}`),
      ...unserved.map((k) => `the cluster does not serve ${k}: its objects are reported as Missing`),
    ];
    return { results, errors: parsed.errors, warnings, commit: repo.commit, files: files.length };
  } finally {
    repo.cleanup();
  }
}
