// The contract every part of DriftGuard speaks: the engine's output, the agent's stored records,
// the REST API's JSON and the plugin's `-o json` all use these snake_case shapes unchanged.

export const DRIFT_TYPES = [
  'Scaling',
  'VersionChange',
  'ResourceChange',
  'ConfigurationChange',
  'LabelChange',
  'AnnotationChange',
  'PortChange',
  'VolumeChange',
  'SecretChange',
  'ConfigMapChange',
  'Missing',
] as const;
export type DriftType = (typeof DRIFT_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DRIFT_STATUSES = ['none', 'active', 'resolved'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

/** Any JSON value, as found in a manifest or a live object. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A Kubernetes object as plain JSON (desired from Git or live from the API server). */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject;
}

/** One changed field of a drifted resource. Secret values never appear in desired/live. */
export interface DriftDetail {
  /** JSON path, e.g. `spec.template.spec.containers[name=web].image`. */
  path: string;
  type: DriftType;
  severity: Severity;
  desired: JsonValue | undefined | null;
  live: JsonValue | undefined | null;
  /** The field manager that last wrote this field on the live object (from managedFields). */
  manager: string | null;
  /** When that manager last wrote it (ISO 8601), if known. */
  changed_at: string | null;
}

/** The engine's verdict for one resource: what `analyze --local -o json` prints per record. */
export interface DriftResult {
  resource_id: string;
  kind: string;
  namespace: string;
  name: string;
  api_version: string;
  drift_detected: boolean;
  drift_status: 'none' | 'active';
  drift_type: DriftType | null;
  severity: Severity | null;
  drift_details: DriftDetail[];
  desired_hash: string | null;
  live_hash: string | null;
  git_commit: string | null;
  source_file: string | null;
}

/** A drift record as the agent stores it and the API serves it. */
export interface DriftRecord extends Omit<DriftResult, 'drift_status'> {
  drift_status: DriftStatus;
  first_detected: string | null;
  last_checked: string;
  resolved_at: string | null;
  /** The live hash when live last matched Git. */
  last_known_good_hash: string | null;
  /** e.g. "replicas back to 3 (kubectl-scale)". */
  resolution_message: string | null;
}

export const TRANSITIONS = ['detected', 'updated', 'resolved'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** One transition of a record's life, appended to its history. */
export interface DriftEvent {
  /** Deterministic (resource id, transition, time), so a retried write stores it once. */
  event_id: string;
  resource_id: string;
  event: Transition;
  from_status: DriftStatus;
  to_status: DriftStatus;
  time: string;
  drift_type: DriftType | null;
  severity: Severity | null;
  kind: string;
  namespace: string;
  message: string | null;
}

export interface DriftRecordList {
  drift_records: DriftRecord[];
  count: number;
}

export interface LastAnalysis {
  started_at: string;
  finished_at: string;
  duration_seconds: number;
  resources: number;
  git_commit: string | null;
}

export interface Statistics {
  total_resources: number;
  drifted_resources: number;
  active_drifts: number;
  resolved_drifts: number;
  by_type: Partial<Record<DriftType, number>>;
  by_severity: Partial<Record<Severity, number>>;
  by_namespace: Record<string, number>;
  mean_time_to_resolve_seconds: number | null;
  drift_score: number;
  last_analysis: LastAnalysis | null;
  trend: { time: string; active: number }[];
}

export type AnalysisState = 'running' | 'completed' | 'failed';

export interface AnalysisStatus {
  analysis_id: string;
  status: AnalysisState;
  trigger: 'periodic' | 'watch' | 'manual' | 'git';
  started_at: string;
  finished_at: string | null;
  resources: number;
  drifted: number;
  detected: number;
  resolved: number;
  error: string | null;
}

/**
 * `Kind:namespace:name`; cluster-scoped objects have an empty namespace (`Kind::name`). `kind` is the
 * kind key: the bare kind for kinds kube-apiserver serves itself, `Kind.group` for a CRD or an
 * aggregated API (see kindKey in shared/engine/identity.ts), so two `Gateway`s never collide.
 */
export function resourceId(kind: string, namespace: string, name: string): string {
  return `${kind}:${namespace}:${name}`;
}

/**
 * Split from the left on the kind and the namespace only: names may contain `:` (ClusterRole
 * `system:controller:foo`), kinds and namespaces never do.
 */
export function parseResourceId(id: string): { kind: string; namespace: string; name: string } | null {
  const m =
    /^([A-Za-z][A-Za-z0-9]*(?:\.[a-z0-9]([-.a-z0-9]*[a-z0-9])?)?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)?:([^/\s]+)$/.exec(
      id,
    );
  if (!m || m[1] === undefined || m[5] === undefined) return null;
  return { kind: m[1], namespace: m[3] ?? '', name: m[5] };
}

export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };
