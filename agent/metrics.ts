// The agent's Prometheus metrics, one Registry per agent instance (tests build several agents
// in one process; the global registry would throw "already registered"). Names, labels, help and
// buckets come from agent/metrics/declared.ts; this file only registers them and sets values.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS, type LabelsOf, type MetricKey } from './metrics/declared.ts';
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

type KeyOf<T extends string> = {
  [K in MetricKey]: (typeof METRICS)[K]['type'] extends T ? K : never;
}[MetricKey];

function counter<K extends KeyOf<'counter'>>(registry: Registry, key: K): Counter<LabelsOf<K>> {
  const m = METRICS[key];
  return new Counter({ name: m.name, help: m.help, labelNames: m.labels, registers: [registry] });
}

/** `collect` runs at each scrape (for values that are computed then, not set). */
function gauge<K extends KeyOf<'gauge'>>(
  registry: Registry,
  key: K,
  collect?: () => void,
): Gauge<LabelsOf<K>> {
  const m = METRICS[key];
  return new Gauge({
    name: m.name,
    help: m.help,
    labelNames: m.labels,
    registers: [registry],
    ...(collect ? { collect } : {}),
  });
}

function histogram<K extends KeyOf<'histogram'>>(registry: Registry, key: K): Histogram<LabelsOf<K>> {
  const m = METRICS[key];
  return new Histogram({
    name: m.name,
    help: m.help,
    labelNames: m.labels,
    buckets: [...m.buckets],
    registers: [registry],
  });
}

export class AgentMetrics {
  readonly registry = new Registry();
  /** The groups the oldest-age gauge reads at each scrape (its value grows between analyses). */
  private sloGroups: SloGroup[] = [];
  /** The waivers' states, read at each scrape (set by the agent). */
  private waiverStates: () => readonly string[] = () => [];
  readonly driftEvents = counter(this.registry, 'driftEvents');
  readonly resourcesWatched = gauge(this.registry, 'resourcesWatched');
  readonly driftScore = gauge(this.registry, 'driftScore');
  readonly activeDrifts = gauge(this.registry, 'activeDrifts');
  readonly activeDriftsByType = gauge(this.registry, 'activeDriftsByType');
  readonly activeDriftsBySource = gauge(this.registry, 'activeDriftsBySource');
  readonly oldestActiveDriftAge = gauge(this.registry, 'oldestActiveDriftAge', () => this.collectOldest());
  readonly timeToResolve = histogram(this.registry, 'timeToResolve');
  readonly coverage = gauge(this.registry, 'coverage');
  readonly coverageObjects = gauge(this.registry, 'coverageObjects');
  readonly waivers = gauge(this.registry, 'waivers', () => {
    this.waivers.reset();
    for (const state of WAIVER_STATES) this.waivers.set({ state }, 0);
    for (const state of this.waiverStates()) this.waivers.inc({ state });
  });
  readonly waivedDrifts = gauge(this.registry, 'waivedDrifts');
  readonly info = gauge(this.registry, 'info');
  readonly syncDuration = histogram(this.registry, 'syncDuration');
  readonly apiRequestDuration = histogram(this.registry, 'apiRequestDuration');
  readonly notifications = counter(this.registry, 'notifications');
  readonly analysisRuns = counter(this.registry, 'analysisRuns');
  readonly lastAnalysisSuccess = gauge(this.registry, 'lastAnalysisSuccess');
  readonly watchErrors = counter(this.registry, 'watchErrors');
  readonly watchRelists = counter(this.registry, 'watchRelists');
  readonly verdictsTotal = counter(this.registry, 'verdictsTotal');
  readonly ready = gauge(this.registry, 'ready');
  readonly leader = gauge(this.registry, 'leader');
  readonly confirmRequests = counter(this.registry, 'confirmRequests');
  readonly confirmDuration = histogram(this.registry, 'confirmDuration');

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
