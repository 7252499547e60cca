// What the last analysis of each id saw: a full run skips the engine for an id whose inputs are the
// same objects again (references, not copies). The verdict is a function of the live object, the
// desired entry, the previous record and the engine options (rules and cluster facts), so nothing
// can have changed.
import type { EngineOptions } from '../../shared/engine/index.ts';
import type { DriftRecord, KubeObject } from '../../shared/types.ts';
import type { DesiredEntry } from '../git/desired-view.ts';

export interface Seen {
  live: KubeObject | undefined;
  entry: DesiredEntry;
  record: DriftRecord;
  engine: EngineOptions;
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

export class SkipCache {
  private readonly seen = new Map<string, Seen>();

  /** Whether the last analysis of `id` saw exactly these inputs. */
  unchanged(id: string, now: Omit<Seen, 'entry'> & { entry: DesiredEntry }): boolean {
    const last = this.seen.get(id);
    return (
      last !== undefined &&
      last.record === now.record &&
      last.live === now.live &&
      last.engine === now.engine &&
      sameEntry(last.entry, now.entry)
    );
  }

  remember(id: string, seen: Seen): void {
    this.seen.set(id, seen);
  }

  forget(id: string): void {
    this.seen.delete(id);
  }

  /** Keeps only the ids of this run. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
  }

  clear(): void {
    this.seen.clear();
  }
}
