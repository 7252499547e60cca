// The records as last read from or written to the database through this agent. The agent is the
// only writer of its database, so this copy stays exact; during an outage it lets the agent keep
// computing transitions (which need each resource's previous record) instead of stopping, and once
// complete it answers the agent's reads (previous records, full runs, statistics) without I/O: the
// one copy of the records in the agent's memory.
import type { DriftRecord } from '../../shared/types.ts';

export class RecordCache {
  private readonly records = new Map<string, DriftRecord>();
  /** Set once a full read (allRecords) succeeded: from then on an id not here has no record. */
  private complete = false;
  /** all()'s sorted answer until the next change. */
  private sorted: DriftRecord[] | undefined;

  get isComplete(): boolean {
    return this.complete;
  }

  /** Another writer may have changed the database: the next full read must refill the cache. */
  forgetComplete(): void {
    this.complete = false;
  }

  set(record: DriftRecord): void {
    if (this.records.get(record.resource_id) !== record) this.sorted = undefined;
    this.records.set(record.resource_id, record);
  }

  delete(resourceId: string): void {
    if (this.records.delete(resourceId)) this.sorted = undefined;
  }

  replaceAll(records: DriftRecord[]): void {
    this.records.clear();
    for (const r of records) this.records.set(r.resource_id, r);
    this.complete = true;
    this.sorted = undefined;
  }

  /** The record, null when it is known not to exist, undefined when unknown. */
  get(resourceId: string): DriftRecord | null | undefined {
    const r = this.records.get(resourceId);
    if (r) return r;
    return this.complete ? null : undefined;
  }

  /** Every record, or undefined when no full read has happened yet. */
  all(): DriftRecord[] | undefined {
    if (!this.complete) return undefined;
    this.sorted ??= [...this.records.values()].sort((a, b) =>
      a.resource_id < b.resource_id ? -1 : a.resource_id > b.resource_id ? 1 : 0,
    );
    // A copy: callers may sort or filter what they get.
    return [...this.sorted];
  }
}
