// One source as the agent runs it: a Git checkout (url, branch or tag or commit, path, auth,
// timeouts) and how to read it (type, namespace, kustomize/helm settings, network opt-in).
// Built from the config's `sources:` list, or from the old `git:` section as the source `default`.
import {
  DEFAULT_HELM,
  DEFAULT_KUSTOMIZE,
  type HelmOptions,
  type KustomizeOptions,
  type KustomizeOverlay,
  type SourceType,
} from '../../shared/node/render/types.ts';
import type { IgnoreRule } from '../../shared/engine/index.ts';
import type { JsonObject } from '../../shared/types.ts';
import type { AgentConfig, GitConfig, SourceConfig } from '../config/schema.ts';

/** The checkout of one source: what GitRepo clones and fetches. */
export type RepoSpec = Omit<GitConfig, 'url' | 'work_dir'> & { url: string };

export interface SourceSpec {
  name: string;
  git: RepoSpec;
  type: SourceType;
  /** Namespace for objects without one; Helm's --namespace. */
  namespace: string;
  kustomize: KustomizeOptions;
  helm: HelmOptions;
  /** Remote bases, chart dependencies, helmCharts pulls: off unless opted in. */
  network: boolean;
  /** A GitOps controller's transforms over the kustomization (sources_from). */
  overlay?: KustomizeOverlay;
  /** Flux's postBuild variables (sources_from). */
  substitute?: Record<string, string>;
  /** Fields the controller writes on what it applies (its tracking labels): never drift. */
  ignore?: IgnoreRule[];
  /** What of the controller's object the agent cannot model: said in /ready (sources_from). */
  notes?: string[];
  /**
   * The chart comes from a chart repository, not from Git (sources_from: a Flux HelmRelease from a
   * HelmRepository/OCIRepository, an Argo CD Application with `chart`); `git` then only names that
   * repository (url) and the chart (path) for logs.
   */
  chart?: ChartPull;
}

/** A chart fetched by the agent from the one repository its GitOps object names. */
export interface ChartPull {
  /** `http(s)://…` (an index.yaml under it) or `oci://host/path` (the chart at path/name). */
  repository: string;
  name: string;
  /** An exact version or a constraint, as helm reads it. */
  version: string;
  /** An OCI registry over plain HTTP (Flux's `insecure: true`). */
  plain_http: boolean;
  /** The Secret (username, password) the repository's credentials are read from. */
  secret?: { namespace: string; name: string };
}

/** A `sources:` entry of type helm-release: no Git, the releases Helm stored in the cluster. */
export interface HelmReleaseSpec {
  name: string;
  /** `all`, or `namespace/release` names. */
  releases: 'all' | string[];
  /** None from the config today (the type every source's spec shares). */
  ignore?: IgnoreRule[];
}

export const DEFAULT_SOURCE_NAME = 'default';

/** The old single `git:` section, as the one source `default` (type auto, defaults for the rest). */
export function legacySource(git: GitConfig, namespace: string): SourceSpec {
  return {
    name: DEFAULT_SOURCE_NAME,
    git: { ...git, url: git.url ?? '' },
    type: 'auto',
    namespace,
    kustomize: { ...DEFAULT_KUSTOMIZE },
    helm: { ...DEFAULT_HELM },
    network: false,
  };
}

/** The sources the agent tracks, in config order (the first one wins an object two sources declare). */
export function sourceSpecs(config: AgentConfig, namespace: string): SourceSpec[] {
  const listed = gitSources(config).map((s): SourceSpec => ({
    name: s.name,
    // Auth and timeouts are the git: section's, shared by every source.
    git: { ...config.git, url: s.url, branch: s.branch, path: s.path },
    type: s.type,
    namespace: s.namespace ?? namespace,
    kustomize: s.kustomize,
    helm: { ...s.helm, values: s.helm.values as JsonObject },
    network: s.network,
  }));
  // The old git: section still works: alone as `default`, or beside sources: as one more.
  return config.git.url ? [legacySource(config.git, namespace), ...listed] : listed;
}

type GitSourceConfig = SourceConfig & { url: string; type: SourceType };

/** The `sources:` entries read from Git (the schema requires their url). */
function gitSources(config: AgentConfig): GitSourceConfig[] {
  return (config.sources ?? []).filter(
    (s): s is GitSourceConfig => s.type !== 'helm-release' && s.url !== undefined,
  );
}

/** The `sources:` entries of type helm-release, in config order. */
export function helmReleaseSpecs(config: AgentConfig): HelmReleaseSpec[] {
  return (config.sources ?? [])
    .filter((s) => s.type === 'helm-release')
    .map((s) => ({ name: s.name, releases: s.releases ?? 'all' }));
}
