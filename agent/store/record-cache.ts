// The records as last read from or written to the database through this agent. The agent is the
// only writer of its database, so this copy stays exact; during an outage it lets the agent keep
// computing transitions (which need each resource's previous record) instead of stopping, and once
// complete it answers the agent's reads (previous records, full runs, statistics) without I/O: the
// one copy of the records in the agent's memory.
import type { DriftRecord } from '../../shared/types.ts';
import { StringPool } from '../memory/string-pool.ts';
import { compactRecord } from './compact-record.ts';
import { byResourceId, conditions, paging, type Condition } from './filters.ts';
import type { RecordPage, RecordQuery } from './store.ts';

/** Filtered lists kept until the next change; past this many distinct filters the oldest go. */
const MAX_FILTERS = 64;

function matches(record: DriftRecord, conds: readonly Condition[]): boolean {
  // Absent optional fields (source) compare as null, as a database column or field does: no match.
  for (const c of conds) if ((record[c.field] ?? null) !== c.value) return false;
  return true;
}

export class RecordCache {
  private readonly records = new Map<string, DriftRecord>();
  /** Set once a full read (allRecords) succeeded: from then on an id not here has no record. */
  private complete = false;
  /** all()'s sorted answer until the next change. */
  private sorted: DriftRecord[] | undefined;
  /** Per filter (its conditions as text), the matching records in order, until the next change. */
  private readonly filtered = new Map<string, DriftRecord[]>();
  /** The strings records share, held once (compact-record.ts). */
  private readonly pool = new StringPool();

  get isComplete(): boolean {
    return this.complete;
  }

  /** Another writer may have changed the database: the next full read must refill the cache. */
  forgetComplete(): void {
    this.complete = false;
  }

  set(record: DriftRecord): void {
    if (this.records.get(record.resource_id) === record) return;
    this.changed();
    this.records.set(record.resource_id, compactRecord(record, this.pool));
  }

  delete(resourceId: string): void {
    if (this.records.delete(resourceId)) this.changed();
  }

  replaceAll(records: DriftRecord[]): void {
    this.records.clear();
    for (const r of records) this.records.set(r.resource_id, compactRecord(r, this.pool));
    this.complete = true;
    this.changed();
  }

  private changed(): void {
    this.sorted = undefined;
    this.filtered.clear();
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
    // A copy: callers may sort or filter what they get.
    return [...this.inOrder()];
  }

  private inOrder(): DriftRecord[] {
    this.sorted ??= [...this.records.values()].sort(byResourceId);
    return this.sorted;
  }

  /**
   * A page of the records matching the query, by resource id, as the stores' listRecords answers
   * it (the cluster is this cache's own: the caller checks). Only valid once complete.
   */
  list(query: RecordQuery): RecordPage {
    const { limit, offset } = paging(query);
    const conds = conditions({ ...query, cluster: undefined });
    const key = JSON.stringify(conds);
    let matching = this.filtered.get(key);
    if (!matching) {
      matching = conds.length === 0 ? this.inOrder() : this.inOrder().filter((r) => matches(r, conds));
      if (this.filtered.size >= MAX_FILTERS) this.filtered.delete(this.filtered.keys().next().value ?? '');
      this.filtered.set(key, matching);
    }
    const end = limit === undefined ? undefined : offset + limit;
    return { records: matching.slice(offset, end), count: matching.length };
  }
}
