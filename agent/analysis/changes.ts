// What changed since the last complete full pass, so that a full run (the timer's, a manual one)
// costs O(changed objects) instead of a pass over every object. A full pass is needed only when
// something outside single objects moved: the engine's options (rules, CRD schemas, scopes), the
// Git commit, a change the watches could not announce (an initial list, a new version's view),
// a failed or interrupted run, a new leader. Otherwise the run analyses only:
//   - the ids the watches announced or were queued (watch events, Git changes, audit, waivers),
//   - the records whose last_checked comes due (touchAfterMs), from a heap of due times,
//   - the records whose verdict is made again every run (one the API server could not confirm).
// Those go through the same steps as a full pass (memo, engine, record), so each costs at most a
// lookup; with nothing changed and nothing due the run is its status alone.
import type { EngineOptions } from '../../shared/engine/index.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { touchAt } from '../records/next-state.ts';

/** What a full pass was made against; another value of any part needs a full pass again. */
export interface Epoch {
  engine: EngineOptions;
  commit: string | null;
  /** LiveView.changeMark: undefined means the live view cannot tell, so every run is a full pass. */
  liveMark: number | undefined;
}

/** A full pass at least this often anyway: a safety net against a change nothing announced. */
export const FULL_PASS_EVERY_MS = 60 * 60_000;

export class ChangeLog {
  private dirty = new Set<string>();
  private settled: { epoch: Epoch; atMs: number; records: number } | null = null;
  private readonly due = new DueHeap();
  /** Ids whose verdict is made again on every run (see `record`). */
  private readonly again = new Set<string>();

  /** This id changed (or must be looked at again): the next run includes it. */
  note(id: string): void {
    this.dirty.add(id);
  }

  /** Forgets the settled state: the next run is a full pass (new leader, a waiver rule, tests). */
  reset(): void {
    this.settled = null;
  }

  /**
   * The ids the run must analyse, taken from the log; null: a full pass is needed (then the dirty
   * ids are dropped too: the pass looks at everything).
   */
  plan(epoch: Epoch, nowMs: number): string[] | null {
    const s = this.settled;
    const quiet =
      s !== null &&
      epoch.liveMark !== undefined &&
      s.epoch.engine === epoch.engine &&
      s.epoch.commit === epoch.commit &&
      s.epoch.liveMark === epoch.liveMark &&
      nowMs - s.atMs < FULL_PASS_EVERY_MS &&
      // Stale entries (records rewritten since) only grow the heap; rebuilt by a full pass.
      this.due.size <= 4 * s.records + 1024;
    if (!quiet) {
      this.dirty.clear();
      this.due.clear();
      this.again.clear();
      return null;
    }
    const ids = this.dirty;
    this.dirty = new Set();
    for (const id of this.due.popUntil(nowMs)) ids.add(id);
    for (const id of this.again) ids.add(id);
    return [...ids];
  }

  /**
   * A record as it now stands (after a run decided it): when it comes due for its touch, and
   * whether every run must make its verdict again (`again`: not taken from the memo).
   */
  record(record: DriftRecord, touchAfterMs: number, again = false): void {
    this.due.push(touchAt(record, touchAfterMs), record.resource_id);
    if (again) this.again.add(record.resource_id);
    else this.again.delete(record.resource_id);
  }

  /** A run ended: complete and without error, it settles the epoch it ran against; else a full pass follows. */
  ended(epoch: Epoch, nowMs: number, full: boolean, ok: boolean, records: number): void {
    if (!ok) this.settled = null;
    else if (full) this.settled = { epoch, atMs: nowMs, records };
  }
}

/** A binary min-heap of (time, id); an id may appear several times (the later ones are stale). */
class DueHeap {
  private at: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.at.length;
  }

  clear(): void {
    this.at = [];
    this.ids = [];
  }

  push(at: number, id: string): void {
    let i = this.at.length;
    this.at.push(at);
    this.ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent]! <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.at[i] = at;
    this.ids[i] = id;
  }

  /** Removes and returns the ids due at or before `nowMs`. */
  popUntil(nowMs: number): string[] {
    const out: string[] = [];
    while (this.at.length > 0 && this.at[0]! <= nowMs) out.push(this.pop());
    return out;
  }

  private pop(): string {
    const top = this.ids[0]!;
    const lastAt = this.at.pop()!;
    const lastId = this.ids.pop()!;
    const n = this.at.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.at[l + 1]! < this.at[l]! ? l + 1 : l;
      if (this.at[c]! >= lastAt) break;
      this.move(c, i);
      i = c;
    }
    this.at[i] = lastAt;
    this.ids[i] = lastId;
    return top;
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.ids[to] = this.ids[from]!;
  }
}
