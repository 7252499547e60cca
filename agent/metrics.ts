// The agent's Prometheus metrics, one Registry per agent instance (tests build several agents
// in one process; the global registry would throw "already registered").
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DRIFT_TYPES, SEVERITIES, WAIVER_STATES, type DriftType, type Severity } from '../shared/types.ts';
import { NO_SOURCE, type SloGroup } from './records/slo.ts';

export type SyncTrigger = 'periodic' | 'watch' | 'manual' | 'git';

/** The drift SLO state an analysis leaves (see agent/records/slo.ts). */
export interface SloState {
  groups: SloGroup[];
  /**
   * Live objects of watched kinds in tracked namespaces by the source that declares them (`none`:
   * no source does); null when not known (drift.unmanaged: ignore leaves undeclared objects uncounted).
   */
  coverage: ReadonlyMap<string, number> | null;
}

export class AgentMetrics {
  readonly registry = new Registry();
  /** The groups the oldest-age gauge reads at each scrape (its value grows between analyses). */
  private sloGroups: SloGroup[] = [];
  /** The waivers' states, read at each scrape (set by the agent). */
  private waiverStates: () => readonly string[] = () => [];
  readonly driftEvents = new Counter({
    name: 'driftguard_drift_events_total',
    help: 'Drift transitions by type, severity, kind and event (detected|resolved).',
    labelNames: ['type', 'severity', 'kind', 'event'] as const,
    registers: [this.registry],
  });
  readonly resourcesWatched = new Gauge({
    name: 'driftguard_resources_watched',
    help: 'Live objects currently watched, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  /**
   * drift_score: the severity-weighted share of tracked resources in active drift. Each actively
   * drifted resource weighs low=1, medium=2, high=3; the sum is divided by 3 × total tracked
   * resources. 0 = everything in sync, 1 = every resource in high-severity drift.
   */
  readonly driftScore = new Gauge({
    name: 'driftguard_drift_score',
    help: 'Severity-weighted share of tracked resources in drift: 0 = in sync, 1 = every resource in high-severity drift.',
    registers: [this.registry],
  });
  readonly activeDrifts = new Gauge({
    name: 'driftguard_active_drifts',
    help: 'Resources with an active drift, by severity.',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly activeDriftsByType = new Gauge({
    name: 'driftguard_active_drifts_by_type',
    help: 'Resources with an active drift, by drift type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly activeDriftsBySource = new Gauge({
    name: 'driftguard_active_drifts_by_source',
    help: 'Resources with an active drift, by source (none: an object no source declares) and severity.',
    labelNames: ['source', 'severity'] as const,
    registers: [this.registry],
  });
  readonly oldestActiveDriftAge = new Gauge({
    name: 'driftguard_oldest_active_drift_age_seconds',
    help: 'Age of the oldest active drift (now - first detection), by severity and source; absent when none is active.',
    labelNames: ['severity', 'source'] as const,
    registers: [this.registry],
    collect: () => this.collectOldest(),
  });
  readonly timeToResolve = new Histogram({
    name: 'driftguard_drift_time_to_resolve_seconds',
    help: 'Time from first detection to resolution of each resolved drift, by severity and source.',
    labelNames: ['severity', 'source'] as const,
    buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400],
    registers: [this.registry],
  });
  readonly coverage = new Gauge({
    name: 'driftguard_coverage_ratio',
    help: 'Share of the live objects of watched kinds in tracked namespaces (not made by the cluster or a controller) that this source declares; summed over sources, the coverage. Absent with drift.unmanaged: ignore.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly coverageObjects = new Gauge({
    name: 'driftguard_coverage_objects',
    help: 'Live objects of watched kinds in tracked namespaces (not made by the cluster or a controller), by the source that declares them (none: no source does).',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly waivers = new Gauge({
    name: 'driftguard_waivers',
    help: 'Waivers by state (active, expired, revoked, void).',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      this.waivers.reset();
      for (const state of WAIVER_STATES) this.waivers.set({ state }, 0);
      for (const state of this.waiverStates()) this.waivers.inc({ state });
    },
  });
  readonly waivedDrifts = new Gauge({
    name: 'driftguard_waived_drifts',
    help: 'Resources whose drift a waiver covers (not counted as active), by severity.',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly info = new Gauge({
    name: 'driftguard_info',
    help: 'Always 1; the labels name the agent version and the cluster it watches (config kubernetes.cluster).',
    labelNames: ['version', 'cluster'] as const,
    registers: [this.registry],
  });
  readonly syncDuration = new Histogram({
    name: 'driftguard_sync_duration_seconds',
    help: 'Duration of analysis runs, by trigger.',
    labelNames: ['trigger'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly apiRequestDuration = new Histogram({
    name: 'driftguard_api_request_duration_seconds',
    help: 'HTTP API request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly notifications = new Counter({
    name: 'driftguard_notifications_total',
    help: 'Notifications by sink and outcome: sent, failed (after all retries), dropped (queue full).',
    labelNames: ['sink', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly analysisRuns = new Counter({
    name: 'driftguard_analysis_runs_total',
    help: 'Full analysis runs by trigger and result (completed|failed).',
    labelNames: ['trigger', 'result'] as const,
    registers: [this.registry],
  });
  readonly lastAnalysisSuccess = new Gauge({
    name: 'driftguard_last_analysis_success_timestamp_seconds',
    help: 'Unix time of the last full analysis that completed without error (0: none yet).',
    registers: [this.registry],
  });
  readonly watchErrors = new Counter({
    name: 'driftguard_watch_errors_total',
    help: 'Watches that failed or went silent and were restarted, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly watchRelists = new Counter({
    name: 'driftguard_watch_relists_total',
    help: 'Watches that listed again after their first list, by kind and reason: gone (410, resourceVersion too old) or silent.',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });
  readonly verdictsTotal = new Counter({
    name: 'driftguard_verdicts_total',
    help: 'Verdicts by how they were reached: computed (the engine ran) or remembered (inputs unchanged since the stored verdict; the engine did not run).',
    labelNames: ['how'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'driftguard_ready',
    help: '1 when /ready answers ready (store reachable, watches synced, Git loaded, permissions complete).',
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'driftguard_leader',
    help: '1 when this replica holds the leader Lease and analyses, 0 while it follows.',
    registers: [this.registry],
  });

  readonly confirmRequests = new Counter({
    name: 'driftguard_confirm_requests_total',
    help: 'Dry-run requests confirming suspected drift, by outcome: ok (answered), refused (the server said no: RBAC, a webhook that refuses dry-runs, a quota), error (no answer: timeout, unreachable).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly confirmDuration = new Histogram({
    name: 'driftguard_confirm_request_duration_seconds',
    help: 'Time spent on each confirm dry-run request (the budget wait not included), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(private readonly now: () => number = Date.now) {
    collectDefaultMetrics({ register: this.registry });
    // Every outcome is exported from the start, 0 until it happens (rate() needs the series).
    for (const outcome of ['ok', 'refused', 'error']) this.confirmRequests.inc({ outcome }, 0);
  }

  /** One confirm dry-run request was answered, refused or failed after `seconds`. */
  confirmRequest(outcome: 'ok' | 'refused' | 'error', seconds: number): void {
    this.confirmRequests.inc({ outcome });
    this.confirmDuration.observe({ outcome }, seconds);
  }

  notification(sink: string, outcome: 'sent' | 'failed' | 'dropped', n = 1): void {
    this.notifications.inc({ sink, outcome }, n);
  }

  driftEvent(
    event: 'detected' | 'resolved',
    type: DriftType | null,
    severity: Severity | null,
    kind: string,
  ): void {
    this.driftEvents.inc({ type: type ?? 'none', severity: severity ?? 'none', kind, event });
  }

  /** A full analysis ended (completed: without a failed write). */
  analysisRun(trigger: SyncTrigger, completed: boolean, at: Date): void {
    this.analysisRuns.inc({ trigger, result: completed ? 'completed' : 'failed' });
    if (completed) this.lastAnalysisSuccess.set(at.getTime() / 1000);
  }

  /** Counted per batch, not per object: a full run of 100,000 remembered verdicts stays cheap. */
  verdicts(computed: number, remembered: number): void {
    if (computed > 0) this.verdictsTotal.inc({ how: 'computed' }, computed);
    if (remembered > 0) this.verdictsTotal.inc({ how: 'remembered' }, remembered);
  }

  observeSync(trigger: SyncTrigger, seconds: number): void {
    this.syncDuration.observe({ trigger }, seconds);
  }

  /** Replaces the watched-object gauge (kinds no longer watched disappear). */
  setWatched(counts: Record<string, number>): void {
    this.resourcesWatched.reset();
    for (const [kind, n] of Object.entries(counts)) this.resourcesWatched.set({ kind }, n);
  }

  /** Sets the active-drift gauges after an analysis; every severity is exported, 0 when absent. */
  setDriftState(
    activeBySeverity: Partial<Record<Severity, number>>,
    driftScore: number,
    activeByType: Partial<Record<DriftType, number>> = {},
  ): void {
    for (const severity of SEVERITIES) this.activeDrifts.set({ severity }, activeBySeverity[severity] ?? 0);
    for (const type of DRIFT_TYPES) this.activeDriftsByType.set({ type }, activeByType[type] ?? 0);
    this.driftScore.set(driftScore);
  }

  /** Sets the per-source counts, the oldest drift per severity and source, and coverage. */
  setSlo(state: SloState): void {
    this.sloGroups = state.groups;
    this.activeDriftsBySource.reset();
    for (const g of state.groups)
      this.activeDriftsBySource.set({ source: g.source, severity: g.severity }, g.active);
    this.coverage.reset();
    this.coverageObjects.reset();
    if (!state.coverage) return;
    let all = 0;
    for (const n of state.coverage.values()) all += n;
    for (const [source, n] of state.coverage) {
      this.coverageObjects.set({ source }, n);
      if (source !== NO_SOURCE) this.coverage.set({ source }, n / all);
    }
  }

  /** Where the waivers gauge reads the waivers' states from. */
  watchWaivers(states: () => readonly string[]): void {
    this.waiverStates = states;
  }

  setWaived(bySeverity: Partial<Record<Severity, number>>): void {
    for (const severity of SEVERITIES) this.waivedDrifts.set({ severity }, bySeverity[severity] ?? 0);
  }

  /** A drift resolved after `seconds` open. */
  observeResolved(severity: Severity | null, source: string, seconds: number): void {
    this.timeToResolve.observe({ severity: severity ?? 'low', source }, seconds);
  }

  private collectOldest(): void {
    this.oldestActiveDriftAge.reset();
    const now = this.now();
    for (const g of this.sloGroups)
      this.oldestActiveDriftAge.set(
        { severity: g.severity, source: g.source },
        Math.max(0, Math.round((now - g.oldest) / 1000)),
      );
  }
}
