// What waits to be analysed: single objects (from watch events and Git changes; a Git change wins
// over a watch event of the same id) and at most one full run queued. A full-run trigger while one
// is queued or running joins it (coalescing).
import type { AnalysisStatus } from '../../shared/types.ts';

export type ObjectTrigger = 'watch' | 'git';

export class WorkQueue {
  private readonly pending = new Map<string, ObjectTrigger>();
  private queuedFull: AnalysisStatus | null = null;
  private runningFull: AnalysisStatus | null = null;

  addObjects(ids: Iterable<string>, trigger: ObjectTrigger): void {
    for (const id of ids) if (this.pending.get(id) !== 'git') this.pending.set(id, trigger);
  }

  /** Puts a batch back after a failed read (its triggers as they were). */
  requeue(batch: ReadonlyMap<string, ObjectTrigger>, ids: readonly string[]): void {
    for (const id of ids) this.pending.set(id, batch.get(id) ?? 'watch');
  }

  hasObjects(): boolean {
    return this.pending.size > 0;
  }

  /** Every pending object, removed from the queue. */
  takeObjects(): Map<string, ObjectTrigger> {
    const batch = new Map(this.pending);
    this.pending.clear();
    return batch;
  }

  /** The full run a new trigger joins: the one queued, else the one running. */
  joinable(): AnalysisStatus | null {
    return this.queuedFull ?? this.runningFull;
  }

  queueFull(status: AnalysisStatus): void {
    this.queuedFull = status;
  }

  hasFull(): boolean {
    return this.queuedFull !== null;
  }

  /** The queued full run, now running (null when none is queued). */
  startFull(): AnalysisStatus | null {
    this.runningFull = this.queuedFull;
    this.queuedFull = null;
    return this.runningFull;
  }

  endFull(): void {
    this.runningFull = null;
  }

  hasWork(): boolean {
    return this.pending.size > 0 || this.queuedFull !== null;
  }

  /** Drops what waits (the run in progress, if any, goes on). */
  clear(): void {
    this.pending.clear();
    this.queuedFull = null;
  }
}
