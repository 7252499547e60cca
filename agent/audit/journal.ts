// The audit writes the agent keeps for the join: a bounded ring, so audit traffic never grows the
// agent's memory. Writes are grouped by object (newest last, a few per object); when the total
// passes the capacity the object written to longest ago goes first. ~400 bytes per write.
import type { AuditWrite } from './write.ts';

/** Writes kept per object: the join wants the one behind the current drift, not the history. */
const PER_OBJECT = 8;

export class AuditJournal {
  private readonly byObject = new Map<string, AuditWrite[]>();
  private total = 0;
  private readonly listeners: ((write: AuditWrite) => void)[] = [];

  constructor(private readonly capacity = 10_000) {}

  /** Keeps a write (once per audit id) and tells the listeners. */
  add(write: AuditWrite): void {
    const list = this.byObject.get(write.resource_id) ?? [];
    if (list.some((w) => w.audit_id === write.audit_id)) return;
    // Re-inserting moves the object to the newest end of the map's order.
    this.byObject.delete(write.resource_id);
    list.push(write);
    list.sort((a, b) => a.time - b.time);
    this.total++;
    if (list.length > PER_OBJECT) {
      list.shift();
      this.total--;
    }
    this.byObject.set(write.resource_id, list);
    this.evict();
    for (const l of this.listeners) l(write);
  }

  /** The kept writes to one object, oldest first. */
  writes(resourceId: string): readonly AuditWrite[] {
    return this.byObject.get(resourceId) ?? [];
  }

  get size(): number {
    return this.total;
  }

  onWrite(listener: (write: AuditWrite) => void): void {
    this.listeners.push(listener);
  }

  private evict(): void {
    for (const [id, list] of this.byObject) {
      if (this.total <= this.capacity) return;
      this.byObject.delete(id);
      this.total -= list.length;
    }
  }
}
