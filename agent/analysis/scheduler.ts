// The analysis scheduler: one serial queue of work so two analyses never race on a record.
// Single objects (from watch events and Git changes) go first, batched; full runs (periodic,
// manual, first Git load) coalesce: a trigger while one is queued or running joins it. A full run
// goes in chunks and yields to the event loop between them, running the single objects that
// arrived meanwhile first, so the API and the detection of a change never wait for a whole pass.
// Previous records come from the store (the ResilientStore answers from its one in-memory copy).
import { randomUUID } from 'node:crypto';
import { Backoff } from '../../shared/backoff.ts';
import {
  declaredIndex,
  revertPlan,
  unmanagedResult,
  type DeclaredIndex,
  type DesiredObject,
  type IgnoreRule,
} from '../../shared/engine/index.ts';
import {
  parseResourceId,
  type AnalysisStatus,
  type DesiredObjectResponse,
  type DriftEvent,
  type DriftRecord,
  type DriftResult,
  type DriftType,
  type KubeObject,
  type Severity,
  type SourceStatistics,
} from '../../shared/types.ts';
import type { SyncTrigger } from '../metrics.ts';
import { driftScoreOf } from '../records/statistics.ts';
import type { AgentControl, ComponentState } from './control.ts';
import {
  analyzeStep,
  announce,
  decide,
  engineFor,
  touchDue,
  type StepDeps,
  type StepOutcome,
} from './record-step.ts';
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
  /** Reads whole the tracked objects among `ids` that are held only as index entries. */
  ensure?(ids: Iterable<string>): Promise<number>;
  /** Drops the bodies of objects no longer tracked. */
  compact?(): number;
  /** What the Unmanaged verdict reads of an object (whole or its facts); undefined: gone or cluster-made. */
  unmanaged?(id: string): KubeObject | undefined;
  /** Ids of the untracked objects the cluster did not make. */
  unmanagedIds?(): Iterable<string>;
}

/** drift.unmanaged: report — objects no source declares and nothing owns become records. */
export interface UnmanagedOptions {
  /**
   * The tracked namespaces: kubernetes.namespaces when it lists some; else (empty) every namespace
   * a source declares an object in, so a namespace Git has nothing in (the agent's own, say) is not
   * reported object by object.
   */
  namespaces: readonly string[];
  /** Namespaces never reported (the control plane fills them itself): kubernetes.system_namespaces. */
  skipNamespaces: readonly string[];
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
  /** Set: report Unmanaged / Superseded objects (drift.unmanaged: report); absent: ignore them. */
  unmanaged?: UnmanagedOptions;
  /** Leader election state, for the API (absent: this replica always leads). */
  leadership?: () => { leading: boolean; holder: string | null };
  now?: () => Date;
}

type Counts = Pick<AnalysisStatus, 'resources' | 'drifted' | 'detected' | 'resolved'>;

/** Ids per chunk of a full run: a chunk's previous records are read in one call. */
const CHUNK = 256;
/** A full run yields to the event loop after this much work (ms). */
const SLICE_MS = 10;

/** What the last analysis of an id saw: the same three again give the same verdict. */
interface Seen {
  live: KubeObject | undefined;
  entry: DesiredEntry;
  record: DriftRecord;
}

/** The same desired object from the same commit and source, with the same ignore rules. */
function sameEntry(a: DesiredEntry, b: DesiredEntry): boolean {
  return (
    a.desired === b.desired &&
    a.commit === b.commit &&
    a.source === b.source &&
    a.ignore === b.ignore &&
    a.headCommit === b.headCommit
  );
}

/** One id's outcome: its next record (null: removed), whether it must be written, what to remember. */
interface Verdict {
  outcome: StepOutcome;
  record: DriftRecord | null;
  event: DriftEvent | null;
  write: boolean;
  live?: KubeObject | undefined;
  seen?: Seen;
}

/** A record of an object no source declares (Unmanaged, Superseded, or one of those resolved). */
export function isUnmanagedRecord(r: DriftRecord): boolean {
  return r.desired_hash === null;
}

/** The verdict that resolves an Unmanaged record: its object is gone, or a source declares it now. */
/** The result for an object that is no longer drift of any kind (undeclared, or left Git). */
function noLongerDrifting(r: DriftRecord): DriftResult {
  return {
    resource_id: r.resource_id,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    api_version: r.api_version,
    drift_detected: false,
    drift_status: 'none',
    drift_type: null,
    severity: null,
    drift_details: [],
    desired_hash: null,
    live_hash: null,
    git_commit: r.git_commit,
    source_file: null,
  };
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class Scheduler implements AgentControl {
  private readonly statuses = new StatusLog(100);
  /**
   * Per id, the live object, desired object and record of its last analysis (references, not
   * copies). A full run skips the engine for an id whose three are the same objects again: the
   * verdict is a pure function of them, so nothing can have changed.
   */
  private readonly seen = new Map<string, Seen>();
  /** Records, and the active drifts (severity, type), for the gauges, kept as records change. */
  private recordCount = 0;
  private readonly drifting = new Map<string, { severity: Severity; type: DriftType | null }>();
  private readonly pendingIds = new Map<string, 'watch' | 'git'>();
  /** Ids whose record is an active Unmanaged / Superseded one: a delete or a Git change looks again. */
  private readonly unmanagedActive = new Set<string>();
  /** What Git declares, for the Unmanaged verdicts; dropped when Git changes, rebuilt when needed. */
  private declared: DeclaredIndex | null = null;
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
    this.seen.clear();
    this.drifting.clear();
    this.unmanagedActive.clear();
    this.recordCount = 0;
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
        await this.runPending();
      } else if (this.queuedFull) {
        this.runningFull = this.queuedFull;
        this.queuedFull = null;
        await this.runFull(this.runningFull);
        this.runningFull = null;
      } else return;
    }
  }

  private async runPending(): Promise<void> {
    const batch = new Map(this.pendingIds);
    this.pendingIds.clear();
    await this.runObjects(batch);
  }

  private async runObjects(batch: Map<string, 'watch' | 'git'>): Promise<void> {
    const started = performance.now();
    const ids = [...batch.keys()];
    const gitIds = ids.filter((id) => batch.get(id) === 'git');
    if (gitIds.length > 0) {
      this.declared = null;
      // What Git declares changed: an Unmanaged object may be a generator's left-over now (or back).
      for (const id of this.unmanagedActive) if (!batch.has(id)) ids.push(id);
    }
    // Only tracked ids need their previous record, ids Git changed (one that left Git has a record
    // to remove) and Unmanaged candidates. A watch event for any other object Git does not hold
    // costs no store read: if it has a record, the full run that follows the first Git load removes it.
    const wanted = ids.filter(
      (id) => batch.get(id) === 'git' || this.deps.desired.get(id) !== undefined || this.unmanagedWanted(id),
    );
    let previous = new Map<string, DriftRecord>();
    try {
      if (gitIds.length > 0) await this.deps.live.ensure?.(gitIds);
      if (wanted.length > 0) previous = await this.deps.store.getRecords(wanted);
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
    // Created only once the batch really runs, so a retried batch leaves no status stuck at running.
    const status = gitIds.length > 0 ? this.newStatus('git') : null;
    const counts = this.emptyCounts();
    await this.analyzeIds(wanted, previous, counts, status, false);
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
      // Every stored record, also those whose object has left Git.
      const stored = await this.deps.store.allRecords();
      this.recount(stored);
      const ids = new Set<string>();
      for (const r of stored) ids.add(r.resource_id);
      for (const [id] of this.deps.desired.entries()) ids.add(id);
      this.deps.live.compact?.();
      this.declared = null;
      if (this.deps.unmanaged) for (const id of this.deps.live.unmanagedIds?.() ?? []) ids.add(id);
      for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
      const all = [...ids];
      const counts = this.emptyCounts();
      let slice = performance.now();
      for (let i = 0; i < all.length && !this.stopped && this.active; i += CHUNK) {
        const chunk = all.slice(i, i + CHUNK);
        await this.deps.live.ensure?.(chunk);
        // Read per chunk, not once: a change analysed between chunks has a newer record.
        const previous = await this.deps.store.getRecords(chunk);
        await this.analyzeIds(chunk, previous, counts, status, true);
        if (performance.now() - slice >= SLICE_MS) {
          await yieldToLoop();
          // Changes that arrived meanwhile go first: detection does not wait for the pass.
          if (this.pendingIds.size > 0 && !this.stopped && this.active) await this.runPending();
          slice = performance.now();
        }
      }
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

  private emptyCounts(): Counts {
    return { resources: 0, drifted: 0, detected: 0, resolved: 0 };
  }

  /**
   * Analyses each id against its previous record, adding to `counts`. The records that changed
   * are stored together, in one Store.saveRecords call, and only then announced and counted; a
   * failed write is logged per resource and counted in the status.
   */
  private async analyzeIds(
    ids: string[],
    previous: ReadonlyMap<string, DriftRecord>,
    counts: Counts,
    status: AnalysisStatus | null,
    full: boolean,
  ): Promise<void> {
    let failures = 0;
    let lastError = '';
    const failed = (id: string, err: unknown) => {
      failures++;
      lastError = err instanceof Error ? err.message : String(err);
      this.deps.log.error(
        { event: 'store_write_failed', resource_id: id, err: lastError },
        'could not store the analysis of this resource',
      );
    };
    const now = this.nowIso();
    const verdicts: { id: string; before: DriftRecord | null; verdict: Verdict }[] = [];
    for (const id of ids) {
      if (this.stopped || !this.active) break;
      const before = previous.get(id) ?? null;
      try {
        const verdict = await this.analyzeId(id, before, now, full);
        if (verdict !== null) verdicts.push({ id, before, verdict });
      } catch (err) {
        failed(id, err);
      }
    }
    const writes = verdicts.flatMap(({ verdict: v }) =>
      v.write && v.record ? [{ record: v.record, event: v.event }] : [],
    );
    let written = true;
    if (writes.length > 0) {
      try {
        await this.deps.store.saveRecords(writes);
      } catch (err) {
        written = false;
        for (const w of writes) failed(w.record.resource_id, err);
      }
    }
    for (const { id, before, verdict } of verdicts) {
      if (verdict.write && !written) continue;
      if (verdict.seen) this.seen.set(id, verdict.seen);
      if (verdict.write && verdict.record) announce(this.deps, verdict.record, verdict.event, verdict.live);
      this.tally(id, before, verdict.record);
      counts.resources++;
      if (verdict.outcome === 'detected') counts.detected++;
      if (verdict.outcome === 'resolved') counts.resolved++;
      if (verdict.record?.drift_status === 'active') counts.drifted++;
    }
    if (status && failures > 0) {
      const error = `${failures} record write(s) failed: ${lastError}`;
      status.error = status.error ? `${status.error}; ${error}` : error;
    }
  }

  /**
   * null: not tracked (neither in Git nor stored). A null record: it was removed (that delete is
   * written here; a changed record is written by the caller, with the rest of its batch).
   */
  private async analyzeId(
    id: string,
    previous: DriftRecord | null,
    now: string,
    full: boolean,
  ): Promise<Verdict | null> {
    if (this.deps.analysable) {
      const parsed = parseResourceId(id);
      if (parsed && !this.deps.analysable(parsed.kind, parsed.namespace)) return null;
    }
    const entry = this.deps.desired.get(id);
    if (!entry) {
      this.seen.delete(id);
      const unmanaged = this.unmanagedStep(id, previous, now);
      if (unmanaged) return unmanaged;
      if (!previous) return null;
      // The object left Git: it is no longer tracked, so its record goes (its history stays). An
      // active drift first gets its `resolved` event, so no episode's history ends at `detected`.
      if (previous.drift_status === 'active') {
        const ended = decide(this.deps, noLongerDrifting(previous), previous, now);
        await this.deps.store.saveRecord(ended.record, ended.event);
        announce(this.deps, ended.record, ended.event);
      }
      await this.deps.store.deleteRecord(id);
      this.deps.log.info({ event: 'record_removed', resource_id: id }, 'no longer in Git; record removed');
      return { outcome: 'removed', record: null, event: null, write: false };
    }
    // A source declares an Unmanaged object now: that record resolves (written here, before the
    // batch, which holds one write per id), and the tracked object's own verdict follows as its
    // own episode (a drift of it is its own record type).
    if (previous && isUnmanagedRecord(previous) && previous.drift_status === 'active') {
      const ended = decide(this.deps, noLongerDrifting(previous), previous, now);
      await this.deps.store.saveRecord(ended.record, ended.event);
      announce(this.deps, ended.record, ended.event);
      previous = ended.record;
    }
    const live = this.deps.live.get(id, entry.desired.object.apiVersion);
    const last = this.seen.get(id);
    if (
      full &&
      previous &&
      last &&
      last.record === previous &&
      last.live === live &&
      sameEntry(last.entry, entry) &&
      !touchDue(previous, now, this.deps.touchAfterMs)
    )
      return { outcome: 'skipped', record: previous, event: null, write: false };
    const verdict = analyzeStep(this.deps, entry, live, previous, now);
    return { ...verdict, live, seen: { live, entry: { ...entry }, record: verdict.record } };
  }

  /** Whether a batch needs this untracked id's record: an Unmanaged candidate, or its record to resolve. */
  private unmanagedWanted(id: string): boolean {
    if (!this.deps.unmanaged) return false;
    return this.unmanagedActive.has(id) || this.deps.live.unmanaged?.(id) !== undefined;
  }

  /**
   * An id no source declares, with drift.unmanaged: report. Its verdict (Unmanaged, Superseded) is
   * stored; an active Unmanaged record whose object is gone (or now made by a controller) resolves
   * and stays, resolved. Null: not an unmanaged matter (a record of an object that left Git goes).
   */
  private unmanagedStep(id: string, previous: DriftRecord | null, now: string): Verdict | null {
    if (!this.deps.unmanaged) return null;
    const verdict = this.unmanagedVerdict(id);
    if (verdict)
      return { ...decide(this.deps, verdict, previous, now), live: this.deps.live.unmanaged?.(id) };
    if (!previous || !isUnmanagedRecord(previous)) return null;
    if (previous.drift_status !== 'active')
      return { outcome: 'skipped', record: previous, event: null, write: false };
    return decide(this.deps, noLongerDrifting(previous), previous, now);
  }

  private unmanagedVerdict(id: string): DriftResult | null {
    const options = this.deps.unmanaged;
    const ref = parseResourceId(id);
    if (!options || !ref || ref.namespace === '' || options.skipNamespaces.includes(ref.namespace))
      return null;
    const live = this.deps.live.unmanaged?.(id);
    if (!live) return null;
    const declared = this.declaredNow();
    const tracked =
      options.namespaces.length > 0
        ? options.namespaces.includes(ref.namespace)
        : declared.namespaces.has(ref.namespace);
    if (!tracked) return null;
    return unmanagedResult(id, live, declared, this.deps.engine, {
      gitCommit: this.deps.gitCommit(),
      createdAt: (did) => {
        const at = this.deps.live.get(did)?.metadata['creationTimestamp'];
        return typeof at === 'string' ? at : undefined;
      },
    });
  }

  /** What Git declares, indexed once per Git change. */
  private declaredNow(): DeclaredIndex {
    return (this.declared ??= declaredIndex(
      Array.from(this.deps.desired.entries(), ([did, e]) => {
        const r = parseResourceId(did);
        const [kind, namespace, name] = [r?.kind ?? '', r?.namespace ?? '', r?.name ?? ''];
        return { id: did, kind, namespace, name, object: e.desired.object };
      }),
    ));
  }

  /** Rebuilds the gauge tallies from every record (at the start of a full run). */
  private recount(records: readonly DriftRecord[]): void {
    this.recordCount = records.length;
    this.drifting.clear();
    this.unmanagedActive.clear();
    for (const r of records) this.tally(r.resource_id, null, r, false);
  }

  private tally(id: string, before: DriftRecord | null, after: DriftRecord | null, count = true): void {
    if (count) this.recordCount += (after ? 1 : 0) - (before ? 1 : 0);
    if (after?.drift_status === 'active')
      this.drifting.set(id, { severity: after.severity ?? 'low', type: after.drift_type });
    else this.drifting.delete(id);
    if (after?.drift_status === 'active' && isUnmanagedRecord(after)) this.unmanagedActive.add(id);
    else this.unmanagedActive.delete(id);
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
    const active: Partial<Record<Severity, number>> = {};
    const byType: Partial<Record<DriftType, number>> = {};
    for (const { severity, type } of this.drifting.values()) {
      active[severity] = (active[severity] ?? 0) + 1;
      if (type) byType[type] = (byType[type] ?? 0) + 1;
    }
    const severities = [...this.drifting.values()].map((d) => d.severity);
    this.deps.metrics.setDriftState(active, driftScoreOf(severities, this.recordCount), byType);
  }

  private nowIso(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}
