// What the list shows: the fetched records narrowed by namespace and filter text, then sorted.
import { SEVERITY_RANK, type DriftRecord } from '../../../shared/types.ts';
import { managersOf, recordTime } from '../render/drift-row.ts';

export const SORT_KEYS = ['severity', 'age', 'namespace'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function nextSort(sort: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(sort) + 1) % SORT_KEYS.length] ?? 'severity';
}

/** Case-insensitive substring match on the resource id, drift type or a field manager. */
export function matchesFilter(record: DriftRecord, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [record.resource_id, record.drift_type ?? '', ...managersOf(record)];
  return haystack.some((h) => h.toLowerCase().includes(needle));
}

function timeOf(record: DriftRecord): number {
  const t = Date.parse(recordTime(record) ?? '');
  return Number.isNaN(t) ? 0 : t;
}

const COMPARE: Record<SortKey, (a: DriftRecord, b: DriftRecord) => number> = {
  // Worst first; equal severity shows the newest drift first.
  severity: (a, b) =>
    (b.severity ? SEVERITY_RANK[b.severity] : 0) - (a.severity ? SEVERITY_RANK[a.severity] : 0) ||
    timeOf(b) - timeOf(a),
  // Newest first, like a feed of what just changed.
  age: (a, b) => timeOf(b) - timeOf(a),
  namespace: (a, b) => a.namespace.localeCompare(b.namespace),
};

export function sortRecords(records: readonly DriftRecord[], sort: SortKey): DriftRecord[] {
  // The resource id breaks every tie, so a refresh never reshuffles equal rows.
  return [...records].sort((a, b) => COMPARE[sort](a, b) || a.resource_id.localeCompare(b.resource_id));
}

export interface ListQuery {
  namespace: string | null;
  filter: string;
  sort: SortKey;
  /** `:kind`; absent or null = every kind. */
  kind?: string | null;
  /** `:source`; absent or null = every source. */
  source?: string | null;
}

export function visibleRecords(records: readonly DriftRecord[], q: ListQuery): DriftRecord[] {
  const narrowed = records.filter(
    (r) =>
      (q.namespace === null || r.namespace === q.namespace) &&
      (q.kind == null || r.kind === q.kind) &&
      (q.source == null || r.source === q.source) &&
      matchesFilter(r, q.filter),
  );
  return sortRecords(narrowed, q.sort);
}

/** The namespace picker's choices: "all" (null) then every namespace seen, cluster-scoped as "". */
export function namespaceChoices(records: readonly DriftRecord[], current: string | null): (string | null)[] {
  const seen = new Set(records.map((r) => r.namespace));
  // Keep the current choice listed even when its records are gone, so the cursor has a home.
  if (current !== null) seen.add(current);
  return [null, ...[...seen].sort()];
}

/** The column each sort orders by, and its direction marker for the header (k9s draws ↑/↓ there). */
export const SORT_COLUMN: Record<SortKey, { column: string; marker: string }> = {
  severity: { column: 'SEV', marker: '↓' },
  age: { column: 'AGE', marker: '↑' },
  namespace: { column: 'NAMESPACE', marker: '↑' },
};
