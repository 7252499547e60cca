// The records as last read from or written to the database through this agent. The agent is the
// only writer of its database, so this copy stays exact; during an outage it lets the agent keep
// computing transitions (which need each resource's previous record) instead of stopping.
import type { DriftRecord } from '../../shared/types.ts';

export class RecordCache {
  private readonly records = new Map<string, DriftRecord>();
  /** Set once a full read (allRecords) succeeded: from then on an id not here has no record. */
  private complete = false;

  set(record: DriftRecord): void {
    this.records.set(record.resource_id, record);
  }

  delete(resourceId: string): void {
    this.records.delete(resourceId);
  }

  replaceAll(records: DriftRecord[]): void {
    this.records.clear();
    for (const r of records) this.records.set(r.resource_id, r);
    this.complete = true;
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
    return [...this.records.values()].sort((a, b) =>
      a.resource_id < b.resource_id ? -1 : a.resource_id > b.resource_id ? 1 : 0,
    );
  }
}
