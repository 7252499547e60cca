// RecordQuery → a list of (field, value) equality conditions, shared by both stores. Every value
// is cast to a string or boolean here, so whatever reaches a store (even an object smuggled past
// the API's validation, such as `{"$ne": null}`) can only ever be compared as a plain value.
import { ALL_CLUSTERS } from '../../shared/api/query.ts';
import type { DriftRecord } from '../../shared/types.ts';
import type { RecordQuery, RecordWrite } from './store.ts';

export type FilterField =
  'cluster' | 'namespace' | 'kind' | 'drift_detected' | 'drift_status' | 'severity' | 'drift_type' | 'source';

export interface Condition {
  field: FilterField;
  value: string | boolean;
}

const STRING_FIELDS: [keyof RecordQuery, FilterField][] = [
  ['cluster', 'cluster'],
  ['namespace', 'namespace'],
  ['kind', 'kind'],
  ['drift_status', 'drift_status'],
  ['severity', 'severity'],
  ['type', 'drift_type'],
  ['source', 'source'],
];

function asString(value: unknown): string {
  // An object would otherwise become "[object Object]"; its JSON text is as inert and clearer.
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function conditions(query: RecordQuery): Condition[] {
  const out: Condition[] = [];
  for (const [key, field] of STRING_FIELDS) {
    const value: unknown = query[key];
    // `*` selects every cluster: no condition at all.
    if (key === 'cluster' && value === ALL_CLUSTERS) continue;
    if (value !== undefined) out.push({ field, value: asString(value) });
  }
  if (query.drift_detected !== undefined)
    out.push({ field: 'drift_detected', value: query.drift_detected === true });
  return out;
}

/** Throws a RangeError unless `value` is undefined or a non-negative integer. */
export function checkCount(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(value)}`);
  }
}

/** limit/offset checked: non-negative integers, or undefined for "all" / 0. */
export function paging(query: RecordQuery): { limit: number | undefined; offset: number } {
  checkCount('listRecords: limit', query.limit);
  checkCount('listRecords: offset', query.offset);
  return { limit: query.limit, offset: query.offset ?? 0 };
}

/** Thrown for a write of another cluster's record or event: a bug, never done silently. */
export function foreignWrites(cluster: string, writes: readonly RecordWrite[]): void {
  for (const { record, event } of writes)
    if (record.cluster !== cluster || (event && event.cluster !== cluster))
      throw new Error(
        `store of cluster ${cluster}: refusing to write ${record.resource_id} of cluster ${record.cluster}`,
      );
}

/** A waiver of another cluster is never written by this one. */
export function foreignWaiver(waiver: { id: string; cluster: string }, cluster: string): void {
  if (waiver.cluster !== cluster)
    throw new Error(`waiver ${waiver.id} belongs to cluster ${waiver.cluster}, not ${cluster}`);
}

/** Every cluster's records: ordered by cluster too, so a page boundary never splits a tie. */
export function allClusters(query: RecordQuery): boolean {
  return query.cluster === ALL_CLUSTERS;
}

/** The key (sqlite meta) and `_id` prefix (MongoDB analyses) of each cluster's published summary. */
export const SUMMARY_KEY = 'summary/';

/** A summary of another cluster is never written by this one. */
export function foreignSummary(summary: { cluster: string }, cluster: string): void {
  if (summary.cluster !== cluster)
    throw new Error(
      `store of cluster ${cluster}: refusing to write the summary of cluster ${summary.cluster}`,
    );
}

/** The order records are listed in: by resource id, as the stores' indexes order them. */
export function byResourceId(a: DriftRecord, b: DriftRecord): number {
  return a.resource_id < b.resource_id ? -1 : a.resource_id > b.resource_id ? 1 : 0;
}
