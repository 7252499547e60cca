// Writes waiting for the database to come back, in the order they were made. Writes that can be
// merged without losing anything are merged, so a long outage costs one entry per changed
// resource plus one per transition event, not one per periodic check:
// - a record save merges into the last pending save of the same resource when at most one of the
//   two carries an event (the newer record wins, the event is kept);
// - the last analysis keeps only its newest value.
import type { DriftEvent, DriftRecord, LastAnalysis } from '../../shared/types.ts';

export type WriteOp =
  | { op: 'saveRecord'; record: DriftRecord; event: DriftEvent | null }
  | { op: 'deleteRecord'; resourceId: string }
  | { op: 'saveLastAnalysis'; analysis: LastAnalysis };

interface Entry {
  write: WriteOp;
  /** Being written now: must not be merged into, or the merged part would be lost. */
  inFlight: boolean;
}

function resourceOf(write: WriteOp): string | null {
  if (write.op === 'saveRecord') return write.record.resource_id;
  if (write.op === 'deleteRecord') return write.resourceId;
  return null;
}

export class WriteQueue {
  private readonly entries: Entry[] = [];
  /** The last pending write per resource: the state readers must see instead of the database's. */
  private readonly latest = new Map<string, Entry>();
  private analysis: Entry | undefined;

  get size(): number {
    return this.entries.length;
  }

  push(write: WriteOp): void {
    if (this.merge(write)) return;
    const entry: Entry = { write, inFlight: false };
    this.entries.push(entry);
    const id = resourceOf(write);
    if (id !== null) this.latest.set(id, entry);
    if (write.op === 'saveLastAnalysis') this.analysis = entry;
  }

  private merge(write: WriteOp): boolean {
    if (write.op === 'saveLastAnalysis' && this.analysis && !this.analysis.inFlight) {
      this.analysis.write = write;
      return true;
    }
    if (write.op !== 'saveRecord') return false;
    const last = this.latest.get(write.record.resource_id);
    if (!last || last.inFlight || last.write.op !== 'saveRecord') return false;
    if (last.write.event && write.event) return false;
    last.write = { op: 'saveRecord', record: write.record, event: last.write.event ?? write.event };
    return true;
  }

  /** The oldest write, marked in flight until `done()` or `failed()`. */
  head(): WriteOp | undefined {
    const entry = this.entries[0];
    if (entry) entry.inFlight = true;
    return entry?.write;
  }

  /** The head was written: drop it. */
  done(): void {
    const entry = this.entries.shift();
    if (!entry) return;
    const id = resourceOf(entry.write);
    if (id !== null && this.latest.get(id) === entry) this.latest.delete(id);
    if (this.analysis === entry) this.analysis = undefined;
  }

  /** The head could not be written: it stays first, open to merges again. */
  failed(): void {
    const entry = this.entries[0];
    if (entry) entry.inFlight = false;
  }

  /** Pending state of a resource: a record, null (deleted), or undefined (nothing pending). */
  pendingRecord(resourceId: string): DriftRecord | null | undefined {
    const entry = this.latest.get(resourceId);
    if (!entry) return undefined;
    return entry.write.op === 'saveRecord' ? entry.write.record : null;
  }

  pendingAnalysis(): LastAnalysis | undefined {
    return this.analysis?.write.op === 'saveLastAnalysis' ? this.analysis.write.analysis : undefined;
  }
}
