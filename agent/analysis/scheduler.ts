// The analysis scheduler: one serial queue of work so two analyses never race on a record.
// Single objects (from watch events and Git changes) go first, batched (object-run.ts); full runs
// (periodic, manual, first Git load) coalesce in the queue (queue.ts) and go in chunks (full-run.ts).
// Each id's decision is id-step.ts; the verdict on a desired object is verdict.ts; the record's
// life is agent/records/. Previous records come from the store (the ResilientStore answers from
// its one in-memory copy).
import type { EngineOptions, RuleHits } from '../../shared/engine/index.ts';
import type { AnalysisStatus } from '../../shared/types.ts';
import type { AnalysisContext, AnalysisDeps } from './context.ts';
import { ChangeLog } from './changes.ts';
import { runFull } from './full-run.ts';
import { ObjectRun } from './object-run.ts';
import { WorkQueue, type ObjectTrigger } from './queue.ts';
import { VerdictMemo } from './memo.ts';
import { RuleTally } from './rule-tally.ts';
import { notLeaderStatus, runningStatus, StatusLog } from './status.ts';
import { Tallies } from './tallies.ts';
import { UnmanagedPolicy } from './unmanaged.ts';

export type { AnalysisDeps } from './context.ts';

/** The memo's preparation yields to the event loop after this much work (ms). */
const PREPARE_SLICE_MS = 5;
/** How often a finished preparation looks whether the engine's facts changed (ms). */
const PREPARE_RECHECK_MS = 50;

export class Scheduler {
  private readonly queue = new WorkQueue();
  private readonly ctx: AnalysisContext;
  private readonly objects: ObjectRun;
  private draining: Promise<void> | null = null;
  /** `deps.loaded` has resolved: the first analysis may run. */
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Only the leader analyses and writes (leader election); true when there is no election. */
  private active = true;
  private stopSignal: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => {
    this.stopSignal = resolve;
  });

  constructor(private readonly deps: AnalysisDeps) {
    const tallies = new Tallies(deps.unmanaged !== undefined);
    this.ctx = {
      deps,
      memo: new VerdictMemo(),
      changes: new ChangeLog(),
      ruleTally: new RuleTally(),
      tallies,
      unmanaged: new UnmanagedPolicy(deps, tallies.unmanagedActive),
      statuses: new StatusLog(100),
      running: () => !this.stopped && this.active,
      nowIso: () => this.nowIso(),
    };
    this.objects = new ObjectRun(this.ctx, this.queue, this.stopping);
    // Every announced change, also with drift.watch off (then only full runs analyse it).
    deps.live.onChange?.((change) => this.ctx.changes.note(change.id));
    void deps.loaded.then(() => (this.loaded = true));
    void deps.desiredLoaded?.then(() => this.prepare());
  }

  /**
   * Between the desired state's load and the live state's: each desired object's memo key part
   * (and whether an ignore rule may count on it) is computed in slices, so the first analysis
   * after a restart is lookups. Done again when the engine's facts change meanwhile (the list
   * tables arrive while the watches list; the costly part, the desired object's own fingerprint,
   * is kept). Only caches: the first analysis decides exactly as without.
   */
  private async prepare(): Promise<void> {
    let prepared: EngineOptions | undefined;
    while (!this.loaded && !this.stopped && this.active) {
      const engine = this.deps.engine();
      if (engine === prepared) {
        await new Promise((resolve) => setTimeout(resolve, PREPARE_RECHECK_MS).unref());
        continue;
      }
      prepared = engine;
      let slice = performance.now();
      for (const [id, entry] of this.deps.desired.entries()) {
        if (this.loaded || this.stopped || !this.active) return;
        const now = this.deps.engine();
        this.ctx.memo.prepare(entry, now);
        this.ctx.ruleTally.known(id, entry, now);
        if (performance.now() - slice >= PREPARE_SLICE_MS) {
          // The watches' events go first: this is only worth doing while waiting for them.
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
    }
  }

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
    this.queue.clear();
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
    this.queue.clear();
    this.ctx.memo.clear();
    this.ctx.changes.reset();
    this.ctx.ruleTally.clear();
    this.ctx.tallies.reset();
    if (active) this.triggerAnalysis('periodic');
    else this.ctx.tallies.publish(this.deps.metrics);
  }

  /**
   * Starts a full analysis, or joins the one queued or running; returns its status at once.
   * `everything`: a pass over every object even if nothing announced a change (analysis/changes.ts).
   */
  triggerAnalysis(trigger: 'manual' | 'periodic' | 'git', everything = false): AnalysisStatus {
    // Not kept in the status log: a follower has no analyses (the API answers 503 before this).
    if (!this.active) return notLeaderStatus(trigger, this.nowIso());
    if (everything) this.ctx.changes.reset();
    const joined = this.queue.joinable();
    if (joined) return { ...joined };
    const status = runningStatus(trigger, this.nowIso());
    this.ctx.statuses.add(status);
    this.queue.queueFull(status);
    this.kick();
    return { ...status };
  }

  /** Analyse these objects soon (batched with others arriving meanwhile). */
  analyzeObjects(ids: Iterable<string>, trigger: ObjectTrigger): void {
    if (this.stopped || !this.active) return;
    const list = [...ids];
    // Also noted for the next full run: a failed write or a batch dropped on a stop is looked at again.
    for (const id of list) this.ctx.changes.note(id);
    this.queue.addObjects(list, trigger);
    this.kick();
  }

  /** Analyse this object again now, even if nothing about it changed (its audit event arrived). */
  reanalyze(id: string): void {
    this.ctx.memo.invalidate(id);
    this.analyzeObjects([id], 'watch');
  }

  /** Fields each ignore rule made not drift, summed over the objects' last verdicts. */
  ruleHits(): RuleHits {
    return this.ctx.ruleTally.totals();
  }

  /** A recent analysis by id (the last 100 are kept). */
  analysis(id: string): AnalysisStatus | undefined {
    return this.ctx.statuses.get(id);
  }

  /** Resolves when the queue is empty (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (this.draining || this.stopped || !this.active) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (!this.stopped && this.queue.hasWork()) this.kick();
    });
  }

  private async drain(): Promise<void> {
    await Promise.race([this.deps.loaded, this.stopping]);
    while (!this.stopped && this.active) {
      if (this.queue.hasObjects()) {
        await this.objects.runPending();
      } else if (this.queue.hasFull()) {
        const status = this.queue.startFull();
        if (status) await runFull(this.ctx, status, () => this.between());
        this.queue.endFull();
      } else return;
    }
  }

  /** Between the chunks of a full run: the single objects that arrived meanwhile. */
  private async between(): Promise<void> {
    if (this.queue.hasObjects()) await this.objects.runPending();
  }

  private nowIso(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}
