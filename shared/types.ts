// The contract every part of DriftGuard speaks: the engine's output, the agent's stored records,
// the REST API's JSON and the plugin's `-o json` all use these snake_case shapes unchanged. They are
// declared once, with zod, in api/shapes.ts; the types here are inferred from those schemas.
import type { z } from 'zod';
import type * as shapes from './api/shapes.ts';

export {
  DNS_LABEL,
  DRIFT_STATUSES,
  DRIFT_TYPES,
  RECORD_SOURCE_NAME,
  SEVERITIES,
  SOURCE_NAME,
  TRANSITIONS,
  WAIVER_STATES,
} from './api/shapes.ts';

export type DriftType = z.output<typeof shapes.DriftType>;
export type Severity = z.output<typeof shapes.Severity>;
export type DriftStatus = z.output<typeof shapes.DriftStatus>;
export type Transition = z.output<typeof shapes.DriftEvent>['event'];

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
export type DriftDetail = z.output<typeof shapes.DriftDetail>;
/** A difference from Git that the API server's dry-run explains (admission or a server default). */
export type ExplainedField = z.output<typeof shapes.ExplainedField>;
/** The engine's verdict for one resource: what `analyze --local -o json` prints per record. */
export type DriftResult = z.output<typeof shapes.DriftResult>;
/** A drift record as the agent stores it and the API serves it. */
export type DriftRecord = z.output<typeof shapes.DriftRecord>;
/** One transition of a record's life, appended to its history. */
export type DriftEvent = z.output<typeof shapes.DriftEvent>;
export type DriftRecordList = z.output<typeof shapes.DriftRecordList>;
export type DriftHistory = z.output<typeof shapes.DriftHistory>;
export type LastAnalysis = z.output<typeof shapes.LastAnalysis>;
export type Statistics = z.output<typeof shapes.Statistics>;
/** One configured source in /api/v1/statistics. */
export type SourceStatistics = z.output<typeof shapes.SourceStatistics>;
export type ClusterStatistics = z.output<typeof shapes.ClusterStatistics>;
export type AnalysisStatus = z.output<typeof shapes.AnalysisStatus>;
export type AnalysisState = AnalysisStatus['status'];
export type AnalyzeResponse = z.output<typeof shapes.AnalyzeResponse>;
export type ComponentState = z.output<typeof shapes.ComponentState>;
export type Readiness = z.output<typeof shapes.Readiness>;
export type Version = z.output<typeof shapes.Version>;
export type ErrorBody = z.output<typeof shapes.ApiErrorBody>;

/** One step of a field path: a map key, or a list item named by its merge key (e.g. `name=web`). */
export type FieldSegment = z.output<typeof shapes.FieldSegment>;
/** A field set in the cluster that the desired object does not set (removed by `revert --prune-fields`). */
export type PruneField = z.output<typeof shapes.PruneField>;
/** What putting one object back to its desired state means (see shapes.RevertPlan). */
export type RevertPlan = Omit<z.output<typeof shapes.RevertPlan>, 'apply' | 'desired_view' | 'live_view'> & {
  desired_view: JsonObject;
  live_view: JsonObject | null;
  apply: KubeObject;
};
/** `GET /api/v1/drift-records/{id}/desired`: the agent's desired object for a record, at its commit. */
export type DesiredObjectResponse = RevertPlan &
  Pick<z.output<typeof shapes.DesiredObject>, 'git_commit' | 'head_commit'>;

/**
 * `Kind:namespace:name`; cluster-scoped objects have an empty namespace (`Kind::name`). `kind` is the
 * kind key: the bare kind for kinds kube-apiserver serves itself, `Kind.group` for a CRD or an
 * aggregated API (see kindKey in shared/engine/identity.ts), so two `Gateway`s never collide.
 */
export function resourceId(kind: string, namespace: string, name: string): string {
  // join, not a template: V8 keeps `a + b` as a tree of pieces (~130 B an id, with a fresh `Kind:`
  // copy each), join makes one flat string (~60 B); ids are held per object for the agent's life.
  return [kind, namespace, name].join(':');
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

/** Who made the write that caused a drift episode (from audit events). */
export type ChangeAuthor = z.output<typeof shapes.ChangeAuthor>;
/** One audit.k8s.io/v1 Event, as far as the audit join reads it. */
export type AuditEvent = z.output<typeof shapes.AuditEvent>;

/** A field field managers keep taking from each other (config drift.fight). */
export type DriftFight = z.output<typeof shapes.DriftFight>;
/** Known drift accepted until an expiry (`/api/v1/waivers`). */
export type Waiver = z.output<typeof shapes.Waiver>;
export type WaiverScope = z.output<typeof shapes.WaiverScope>;
export type WaiverRequest = z.output<typeof shapes.WaiverRequest>;
export type WaiverRef = z.output<typeof shapes.WaiverRef>;
/** A waiver as stored (its state is computed from the clock when read). */
export type StoredWaiver = Omit<Waiver, 'state'>;
export type WaiverList = z.output<typeof shapes.WaiverList>;
