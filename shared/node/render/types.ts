// What a source asks of the renderer, in the config's own shapes (snake_case keys, as in `sources:`),
// and what comes back: desired objects, what was skipped and why, and the fields that are unstable.
import type { DesiredObject, IgnoreRule, ParseError } from '../../engine/index.ts';
import type { JsonObject } from '../../types.ts';

export const SOURCE_TYPES = ['auto', 'directory', 'kustomize', 'helm'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export type RenderedType = Exclude<SourceType, 'auto'>;

export interface KustomizeOptions {
  load_restrictor: 'RootOnly' | 'None';
  enable_helm: boolean;
}

export interface HelmOptions {
  /** Release name; default the chart's name. */
  release?: string | undefined;
  /** Relative to the chart directory; each must resolve inside the repository. */
  values_files: string[];
  values: JsonObject;
  set: Record<string, string>;
  include_crds: boolean;
  skip_tests: boolean;
  /** 'auto' = the cluster's version (given as `cluster.kubeVersion`). */
  kube_version: string;
  /** 'auto' = the cluster's discovery (given as `cluster.apiVersions`). */
  api_versions: 'auto' | string[];
}

/**
 * Transforms a GitOps controller applies on top of a kustomization (Flux's Kustomization, Argo CD's
 * `kustomize:` source options): rendered through a generated overlay whose only resource is the
 * source directory, as the controllers do with `kustomize edit`.
 */
export interface KustomizeOverlay {
  namespace?: string;
  name_prefix?: string;
  name_suffix?: string;
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  /** Kustomize `patches:` entries (patch text, optional target). */
  patches?: { patch: string; target?: Record<string, string> }[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const DEFAULT_KUSTOMIZE: KustomizeOptions = { load_restrictor: 'RootOnly', enable_helm: false };
export const DEFAULT_HELM: HelmOptions = {
  values_files: [],
  values: {},
  set: {},
  include_crds: true,
  skip_tests: true,
  kube_version: 'auto',
  api_versions: 'auto',
};

/** What the cluster says about itself, for helm's Capabilities (kube_version/api_versions: auto). */
export interface ClusterInfo {
  kubeVersion: string | null;
  apiVersions: string[];
}

export interface Skipped {
  id: string;
  sourceFile: string;
  reason: string;
}

export interface Rendered {
  type: RenderedType;
  /** e.g. `helm v4.3.2`; null for a plain directory. */
  tool: string | null;
  objects: DesiredObject[];
  errors: ParseError[];
  warnings: string[];
  /** Helm hooks and test pods: rendered, not compared. */
  skipped: Skipped[];
  /** Fields that differed between two renders of the same input: never reported as drift. */
  unstable: IgnoreRule[];
  /**
   * Fields the installer writes that the render cannot know, never drift: for Helm, the release
   * metadata `helm install` (and Flux) stamp on every object, absent when the chart is applied as
   * rendered (Argo CD).
   */
  notCompared: IgnoreRule[];
  /** The chart calls `lookup`, which `helm template` renders empty. */
  usesLookup: boolean;
  cached: boolean;
  /** Wall time of this call (0 ms-ish on a cache hit). */
  durationMs: number;
}
