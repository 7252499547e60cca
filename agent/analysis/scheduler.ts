// The analysis scheduler: one serial queue of work so two analyses never race on a record.
// Single objects (from watch events and Git changes) go first, batched; full runs (periodic,
// manual, first Git load) coalesce: a trigger while one is queued or running joins it.
import { randomUUID } from 'node:crypto';
import { Backoff } from '../../shared/backoff.ts';
import { revertPlan, type DesiredObject, type IgnoreRule } from '../../shared/engine/index.ts';
import {
  parseResourceId,
  type AnalysisStatus,
  type DesiredObjectResponse,
  type DriftRecord,
  type DriftType,
  type KubeObject,
  type Severity,
  type SourceStatistics,
} from '../../shared/types.ts';
import type { SyncTrigger } from '../metrics.ts';
import { driftScore } from '../records/statistics.ts';
import type { AgentControl, ComponentState } from './control.ts';
import { analyzeAndStore, engineFor, type StepDeps, type StepOutcome } from './record-step.ts';
import { StatusLog } from './status-log.ts';

export interface DesiredEntry {
  desired: DesiredObject;
  commit: string;
  /** The source it comes from, recorded on its record and events. */
  source?: string;
  /** Fields of this object that are unstable across renders: never drift. */
  ignore?: IgnoreRule[];
  /** The newest commit of its source (the entry's own commit may be older for a plain directory). */
  headCommit?: string | null;
}

export interface DesiredView {
  get(id: string): DesiredEntry | undefined;
  entries(): IterableIterator<[string, DesiredEntry]>;
}

export interface LiveView {
  /** The live object, read in `apiVersion` when that version is watched (else the watched one). */
  get(id: string, apiVersion?: string): KubeObject | undefined;
}

export interface SchedulerDeps extends StepDeps {
  desired: DesiredView;
  live: LiveView;
  gitCommit: () => string | null;
  readiness: () => Promise<ComponentState[]>;
  watchedCounts: () => Record<string, number>;
  sources?: () => Omit<SourceStatistics, 'drifted'>[];
  version: string;
  /** Resolves once desired and live state are both loaded: before that every object would look Missing. */
  loaded: Promise<void>;
  /**
   * False for objects of a kind (and namespace) the agent may not read: they are neither analysed
   * nor removed, so a missing permission never shows up as drift or deletes a record.
   */
  analysable?: (kind: string, namespace: string) => boolean;
  /** Leader election state, for the API (absent: this replica always leads). */
  leadership?: () => { leading: boolean; holder: string | null };
  now?: () => Date;
}

type Counts = Pick<AnalysisStatus, 'resources' | 'drifted' | 'detected' | 'resolved'>;

export class Scheduler implements AgentControl {
  private readonly statuses = new StatusLog(100);
  /** Last written record per id: the previous record for single-object analyses and the gauges. */
  private readonly records = new Map<string, DriftRecord>();
  private readonly pendingIds = new Map<string, 'watch' | 'git'>();
  /** Pacing of record reads retried while the store is down: 1 s, growing to 10 s. */
  private readonly readRetry = new Backoff({ initialMs: 1000, maxMs: 10_000 });
  private queuedFull: AnalysisStatus | null = null;
  private runningFull: AnalysisStatus | null = null;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Only the leader analyses and writes (leader election); true when there is no election. */
  private active = true;
  private stopSignal: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => {
    this.stopSignal = resolve;
  });

  constructor(private readonly deps: SchedulerDeps) {}

  /** Periodic full runs every `intervalMs` (when enabled). */
  start(intervalMs: number, periodic: boolean): void {
    if (periodic) {
      this.timer = setInterval(() => {
        if (this.active) this.triggerAnalysis('periodic');
      }, intervalMs);
      this.timer.unref();
    }
  }

  /** Stops the timer and waits for the work in flight (the write under way finishes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    clearInterval(this.timer);
    this.pendingIds.clear();
    this.queuedFull = null;
    await this.draining;
  }

  /**
   * Leader election: a replica that starts leading forgets what it last wrote (the previous leader
   * may have written since) and runs a full analysis from the stored records; one that stops
   * leading drops its queue, ends the run in progress after the write in flight and zeroes its
   * drift gauges (the leader's are the ones that count).
   */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.pendingIds.clear();
    this.queuedFull = null;
    this.records.clear();
    if (active) this.triggerAnalysis('periodic');
    else this.deps.metrics.setDriftState({}, 0);
  }

  leadership(): { leading: boolean; holder: string | null } {
    return this.deps.leadership?.() ?? { leading: true, holder: null };
  }

  triggerAnalysis(trigger: 'manual' | 'periodic' | 'git'): AnalysisStatus {
    if (!this.active) {
      // Not kept in the status log: a follower has no analyses (the API answers 503 before this).
      const now = this.nowIso();
      return {
        analysis_id: randomUUID(),
        status: 'failed',
        trigger,
        started_at: now,
        finished_at: now,
        resources: 0,
        drifted: 0,
        detected: 0,
        resolved: 0,
        error: 'not the leader: another replica analyses',
      };
    }
    const joined = this.queuedFull ?? this.runningFull;
    if (joined) return { ...joined };
    const status: AnalysisStatus = {
      analysis_id: randomUUID(),
      status: 'running',
      trigger,
      started_at: this.nowIso(),
      finished_at: null,
      resources: 0,
      drifted: 0,
      detected: 0,
      resolved: 0,
      error: null,
    };
    this.statuses.add(status);
    this.queuedFull = status;
    this.kick();
    return { ...status };
  }

  /** Analyse these objects soon (batched with others arriving meanwhile). */
  analyzeObjects(ids: Iterable<string>, trigger: 'watch' | 'git'): void {
    if (this.stopped || !this.active) return;
    for (const id of ids) if (this.pendingIds.get(id) !== 'git') this.pendingIds.set(id, trigger);
    this.kick();
  }

  analysis(id: string): AnalysisStatus | undefined {
    return this.statuses.get(id);
  }

  readiness(): Promise<ComponentState[]> {
    return this.deps.readiness();
  }

  watchedCounts(): Record<string, number> {
    return this.deps.watchedCounts();
  }

  version(): { version: string; git_commit: string | null } {
    return { version: this.deps.version, git_commit: this.deps.gitCommit() };
  }

  desired(id: string): DesiredObjectResponse | undefined {
    const entry = this.deps.desired.get(id);
    if (!entry) return undefined;
    // The same engine options as the verdict, so the plan drops what the verdict ignores.
    const plan = revertPlan(
      entry.desired,
      this.deps.live.get(id, entry.desired.object.apiVersion),
      engineFor(this.deps.engine, entry),
      { withholdSecretValues: true },
    );
    return { ...plan, git_commit: entry.commit, head_commit: entry.headCommit ?? this.deps.gitCommit() };
  }

  sources(): Omit<SourceStatistics, 'drifted'>[] {
    return this.deps.sources?.() ?? [];
  }

  /** Resolves when the queue is empty (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (this.draining || this.stopped || !this.active) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (!this.stopped && (this.pendingIds.size > 0 || this.queuedFull)) this.kick();
    });
  }

  private async drain(): Promise<void> {
    await Promise.race([this.deps.loaded, this.stopping]);
    while (!this.stopped && this.active) {
      if (this.pendingIds.size > 0) {
        const batch = new Map(this.pendingIds);
        this.pendingIds.clear();
        await this.runObjects(batch);
      } else if (this.queuedFull) {
        this.runningFull = this.queuedFull;
        this.queuedFull = null;
        await this.runFull(this.runningFull);
        this.runningFull = null;
      } else return;
    }
  }

  private async runObjects(batch: Map<string, 'watch' | 'git'>): Promise<void> {
    const started = performance.now();
    const ids = [...batch.keys()];
    const gitIds = ids.filter((id) => batch.get(id) === 'git');
    // Tracked ids not seen since start (e.g. a watch event before the first full run) are read
    // from the store. An id Git does not hold needs no read: if it has a record, the full run that
    // follows the first Git load removes it, so a change to an untracked object costs no I/O.
    const unknown = ids.filter((id) => !this.records.has(id) && this.deps.desired.get(id) !== undefined);
    let fetched = new Map<string, DriftRecord>();
    if (unknown.length > 0) {
      try {
        fetched = await this.deps.store.getRecords(unknown);
        this.readRetry.reset();
      } catch (err) {
        this.deps.log.error(
          { event: 'store_write_failed', err: err instanceof Error ? err.message : String(err) },
          'could not read records; will retry',
        );
        for (const id of ids) this.pendingIds.set(id, batch.get(id) ?? 'watch');
        // Wait before the retry (longer while the store stays down), but not past a stop.
        const delay = this.readRetry.next();
        await Promise.race([new Promise((r) => setTimeout(r, delay).unref()), this.stopping]);
        return;
      }
    }
    // Created only once the batch really runs, so a retried batch leaves no status stuck at running.
    const status = gitIds.length > 0 ? this.newStatus('git') : null;
    const previous = { get: (id: string) => this.records.get(id) ?? fetched.get(id) };
    const counts = await this.analyzeIds(ids, previous, status);
    const seconds = (performance.now() - started) / 1000;
    for (const trigger of new Set(batch.values())) this.deps.metrics.observeSync(trigger, seconds);
    if (status) this.finish(status, counts, null);
    this.updateGauges();
  }

  private async runFull(status: AnalysisStatus): Promise<void> {
    const started = performance.now();
    const startedAt = this.nowIso();
    this.deps.log.debug(
      { event: 'analysis_started', analysis_id: status.analysis_id, trigger: status.trigger },
      'analysis started',
    );
    try {
      // One batch read: every stored record, also those whose object has left Git.
      const stored = new Map((await this.deps.store.allRecords()).map((r) => [r.resource_id, r]));
      const ids = new Set<string>(stored.keys());
      for (const [id] of this.deps.desired.entries()) ids.add(id);
      const counts = await this.analyzeIds([...ids], stored, status);
      const finishedAt = this.nowIso();
      const seconds = (performance.now() - started) / 1000;
      await this.deps.store.saveLastAnalysis({
        started_at: startedAt,
        finished_at: finishedAt,
        duration_seconds: seconds,
        resources: counts.resources,
        git_commit: this.deps.gitCommit(),
      });
      this.deps.metrics.observeSync(status.trigger as SyncTrigger, seconds);
      this.deps.metrics.analysisRun(status.trigger as SyncTrigger, status.error === null, new Date());
      this.finish(status, counts, status.error);
      this.deps.log.info(
        {
          event: 'analysis_completed',
          analysis_id: status.analysis_id,
          trigger: status.trigger,
          resources: counts.resources,
          drifted: counts.drifted,
          detected: counts.detected,
          resolved: counts.resolved,
          duration_ms: Math.round(seconds * 1000),
        },
        `analysis of ${counts.resources} resources: ${counts.drifted} drifted`,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.metrics.analysisRun(status.trigger as SyncTrigger, false, new Date());
      this.finish(status, status, message);
      this.deps.log.error(
        { event: 'analysis_failed', analysis_id: status.analysis_id, trigger: status.trigger, err: message },
        'analysis failed',
      );
    }
    this.updateGauges();
  }

  /** Analyses each id against the given previous records; write failures are logged and counted. */
  private async analyzeIds(
    ids: string[],
    previous: { get(id: string): DriftRecord | undefined },
    status: AnalysisStatus | null,
  ): Promise<Counts> {
    const counts: Counts = { resources: 0, drifted: 0, detected: 0, resolved: 0 };
    let failures = 0;
    let lastError = '';
    const now = this.nowIso();
    for (const id of ids) {
      if (this.stopped || !this.active) break;
      try {
        const outcome = await this.analyzeId(id, previous.get(id) ?? null, now);
        if (outcome === null) continue;
        counts.resources++;
        if (outcome === 'detected') counts.detected++;
        if (outcome === 'resolved') counts.resolved++;
        if (this.records.get(id)?.drift_status === 'active') counts.drifted++;
      } catch (err) {
        failures++;
        lastError = err instanceof Error ? err.message : String(err);
        this.deps.log.error(
          { event: 'store_write_failed', resource_id: id, err: lastError },
          'could not store the analysis of this resource',
        );
      }
    }
    if (status && failures > 0) status.error = `${failures} record write(s) failed: ${lastError}`;
    return counts;
  }

  /** null: not tracked (neither in Git nor stored). */
  private async analyzeId(
    id: string,
    previous: DriftRecord | null,
    now: string,
  ): Promise<StepOutcome | null> {
    if (this.deps.analysable) {
      const parsed = parseResourceId(id);
      if (parsed && !this.deps.analysable(parsed.kind, parsed.namespace)) return null;
    }
    const entry = this.deps.desired.get(id);
    if (!entry) {
      if (!previous && !this.records.has(id)) return null;
      // The object left Git: it is no longer tracked, so its record goes (its history stays).
      await this.deps.store.deleteRecord(id);
      this.records.delete(id);
      this.deps.log.info({ event: 'record_removed', resource_id: id }, 'no longer in Git; record removed');
      return 'removed';
    }
    const { outcome, record } = await analyzeAndStore(
      this.deps,
      entry,
      this.deps.live.get(id, entry.desired.object.apiVersion),
      previous,
      now,
    );
    this.records.set(id, record);
    return outcome;
  }

  private newStatus(trigger: AnalysisStatus['trigger']): AnalysisStatus {
    const status: AnalysisStatus = {
      analysis_id: randomUUID(),
      status: 'running',
      trigger,
      started_at: this.nowIso(),
      finished_at: null,
      resources: 0,
      drifted: 0,
      detected: 0,
      resolved: 0,
      error: null,
    };
    this.statuses.add(status);
    return status;
  }

  private finish(status: AnalysisStatus, counts: Counts, error: string | null): void {
    Object.assign(status, {
      resources: counts.resources,
      drifted: counts.drifted,
      detected: counts.detected,
      resolved: counts.resolved,
    });
    status.status = error ? 'failed' : 'completed';
    status.error = error;
    status.finished_at = this.nowIso();
  }

  /** The drift gauges (the watched-objects gauge is set when /metrics is scraped). */
  private updateGauges(): void {
    const records = [...this.records.values()];
    const active: Partial<Record<Severity, number>> = {};
    const byType: Partial<Record<DriftType, number>> = {};
    for (const r of records) {
      if (r.drift_status !== 'active') continue;
      active[r.severity ?? 'low'] = (active[r.severity ?? 'low'] ?? 0) + 1;
      if (r.drift_type) byType[r.drift_type] = (byType[r.drift_type] ?? 0) + 1;
    }
    this.deps.metrics.setDriftState(active, driftScore(records), byType);
  }

  private nowIso(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}
