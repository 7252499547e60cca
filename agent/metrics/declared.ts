// Every metric the agent exports, declared once: name, type, labels and help. `agent/metrics.ts`
// registers them from here, and the README's metrics table and the OpenAPI /metrics description
// are generated from here (`npm run docs`; test/api/openapi.test.ts and
// agent/metrics/docs.test.ts fail when either is stale). Pure data: no prom-client.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDecl<L extends string = string> {
  name: string;
  type: MetricType;
  /** Label names, in the order the docs show them. */
  labels: readonly L[];
  /** The HELP text Prometheus shows. */
  help: string;
  /** What the docs add to the help (label values, when it is set); not exported. */
  note?: string;
  buckets?: readonly number[];
}

/** The declarations, keyed by the AgentMetrics field that holds each one. */
export const METRICS = {
  driftEvents: {
    name: 'driftguard_drift_events_total',
    type: 'counter',
    labels: ['type', 'severity', 'kind', 'event'],
    help: 'Drift transitions by type, severity, kind and event (detected|resolved).',
  },
  resourcesWatched: {
    name: 'driftguard_resources_watched',
    type: 'gauge',
    labels: ['kind'],
    help: 'Live objects currently watched, by kind.',
  },
  driftScore: {
    name: 'driftguard_drift_score',
    type: 'gauge',
    labels: [],
    help: 'Severity-weighted share of tracked resources in drift: 0 = in sync, 1 = every resource in high-severity drift.',
    note: 'each actively drifted resource weighs low = 1, medium = 2, high = 3; the sum is divided by 3 × tracked resources; see Statistics.drift_score',
  },
  activeDrifts: {
    name: 'driftguard_active_drifts',
    type: 'gauge',
    labels: ['severity'],
    help: 'Resources with an active drift, by severity.',
  },
  activeDriftsByType: {
    name: 'driftguard_active_drifts_by_type',
    type: 'gauge',
    labels: ['type'],
    help: 'Resources with an active drift, by drift type.',
  },
  activeDriftsBySource: {
    name: 'driftguard_active_drifts_by_source',
    type: 'gauge',
    labels: ['source', 'severity'],
    help: 'Resources with an active drift, by source (none: an object no source declares) and severity.',
  },
  oldestActiveDriftAge: {
    name: 'driftguard_oldest_active_drift_age_seconds',
    type: 'gauge',
    labels: ['severity', 'source'],
    help: 'Age of the oldest active drift (now - first detection), by severity and source; absent when none is active.',
    note: 'computed at scrape time',
  },
  timeToResolve: {
    name: 'driftguard_drift_time_to_resolve_seconds',
    type: 'histogram',
    labels: ['severity', 'source'],
    help: 'Time from first detection to resolution of each resolved drift, by severity and source.',
    buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
  },
  coverage: {
    name: 'driftguard_coverage_ratio',
    type: 'gauge',
    labels: ['source'],
    help: 'Share of the live objects of watched kinds in tracked namespaces (not made by the cluster or a controller) that this source declares; summed over sources, the coverage. Absent with drift.unmanaged: ignore.',
  },
  coverageObjects: {
    name: 'driftguard_coverage_objects',
    type: 'gauge',
    labels: ['source'],
    help: 'Live objects of watched kinds in tracked namespaces (not made by the cluster or a controller), by the source that declares them (none: no source does).',
  },
  waivers: {
    name: 'driftguard_waivers',
    type: 'gauge',
    labels: ['state'],
    help: 'Waivers by state (active, expired, revoked, void).',
    note: 'computed at scrape time',
  },
  waivedDrifts: {
    name: 'driftguard_waived_drifts',
    type: 'gauge',
    labels: ['severity'],
    help: 'Resources whose drift a waiver covers (not counted as active), by severity.',
  },
  info: {
    name: 'driftguard_info',
    type: 'gauge',
    labels: ['version', 'cluster'],
    help: 'Always 1; the labels name the agent version and the cluster it watches (config kubernetes.cluster).',
  },
  syncDuration: {
    name: 'driftguard_sync_duration_seconds',
    type: 'histogram',
    labels: ['trigger'],
    help: 'Duration of analysis runs, by trigger.',
    note: 'trigger is periodic|watch|manual|git',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  apiRequestDuration: {
    name: 'driftguard_api_request_duration_seconds',
    type: 'histogram',
    labels: ['method', 'route', 'status'],
    help: 'HTTP API request duration by method, route pattern and status.',
    note: 'route is the route pattern such as `/api/v1/drift-records/:resourceId`, or `unmatched`',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  notifications: {
    name: 'driftguard_notifications_total',
    type: 'counter',
    labels: ['sink', 'outcome'],
    help: 'Notifications by sink and outcome: sent, failed (after all retries), dropped (queue full).',
  },
  analysisRuns: {
    name: 'driftguard_analysis_runs_total',
    type: 'counter',
    labels: ['trigger', 'result'],
    help: 'Full analysis runs by trigger and result (completed|failed).',
  },
  lastAnalysisSuccess: {
    name: 'driftguard_last_analysis_success_timestamp_seconds',
    type: 'gauge',
    labels: [],
    help: 'Unix time of the last full analysis that completed without error (0: none yet).',
  },
  watchErrors: {
    name: 'driftguard_watch_errors_total',
    type: 'counter',
    labels: ['kind'],
    help: 'Watches that failed or went silent and were restarted, by kind.',
  },
  watchRelists: {
    name: 'driftguard_watch_relists_total',
    type: 'counter',
    labels: ['kind', 'reason'],
    help: 'Watches that listed again after their first list, by kind and reason: gone (410, resourceVersion too old) or silent.',
  },
  verdictsTotal: {
    name: 'driftguard_verdicts_total',
    type: 'counter',
    labels: ['how'],
    help: 'Verdicts by how they were reached: computed (the engine ran) or remembered (inputs unchanged since the stored verdict; the engine did not run).',
  },
  ready: {
    name: 'driftguard_ready',
    type: 'gauge',
    labels: [],
    help: '1 when /ready answers ready (store reachable, watches synced, Git loaded, permissions complete).',
  },
  leader: {
    name: 'driftguard_leader',
    type: 'gauge',
    labels: [],
    help: '1 when this replica holds the leader Lease and analyses, 0 while it follows.',
  },
  confirmRequests: {
    name: 'driftguard_confirm_requests_total',
    type: 'counter',
    labels: ['outcome'],
    help: 'Dry-run requests confirming suspected drift, by outcome: ok (answered), refused (the server said no: RBAC, a webhook that refuses dry-runs, a quota), error (no answer: timeout, unreachable).',
  },
  confirmDuration: {
    name: 'driftguard_confirm_request_duration_seconds',
    type: 'histogram',
    labels: ['outcome'],
    help: 'Time spent on each confirm dry-run request (the budget wait not included), by outcome.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
} as const satisfies Record<string, MetricDecl>;

export type MetricKey = keyof typeof METRICS;

/** The label names of one declared metric, as a union of literals. */
export type LabelsOf<K extends MetricKey> = (typeof METRICS)[K]['labels'][number];
