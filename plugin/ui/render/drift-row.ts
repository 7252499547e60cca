// The renderer for a drift record in the list: its columns and its row (k9s's Header()/Render() pair).
import type { DriftRecord } from '../../../shared/types.ts';
import type { Column } from './columns.ts';
import { age } from '../../output/age.ts';
import { changedBy } from '../../output/drift-rows.ts';

export const DRIFT_COLUMNS: readonly Column[] = [
  { name: 'SEV', min: 6, grow: 0 },
  { name: 'NAMESPACE', min: 9, grow: 1 },
  { name: 'RESOURCE', min: 16, grow: 4 },
  { name: 'TYPE', min: 12, grow: 1 },
  { name: 'MANAGER', min: 8, grow: 2 },
  { name: 'AGE', min: 4, grow: 0, align: 'right' },
];

/** The waived view's columns: the manager's place says whose waiver it is and until when. */
export const WAIVED_COLUMNS: readonly Column[] = DRIFT_COLUMNS.map((c) =>
  c.name === 'MANAGER' ? { name: 'WAIVER', min: 14, grow: 3 } : c,
);

const CLUSTER_COLUMN: Column = { name: 'CLUSTER', min: 7, grow: 1 };

/** With a CLUSTER column first when the list shows another cluster's records or several clusters'. */
export function columnsFor(mode: 'active' | 'resolved' | 'waived', withCluster = false): readonly Column[] {
  const columns = mode === 'waived' ? WAIVED_COLUMNS : DRIFT_COLUMNS;
  return withCluster ? [CLUSTER_COLUMN, ...columns] : columns;
}

/** A row's identity in the list: the resource id, with its cluster when several clusters show. */
export function rowId(record: DriftRecord, withCluster: boolean): string {
  return withCluster ? `${record.cluster}/${record.resource_id}` : record.resource_id;
}

/**
 * The cluster and resource id of a row id (rowId's inverse): a cluster name is a DNS label and a
 * resource id has no `/`, so the first `/` separates them. cluster null: the agent's own.
 */
export function rowAddress(id: string, withCluster: boolean): { cluster: string | null; resourceId: string } {
  const slash = id.indexOf('/');
  if (!withCluster || slash < 0) return { cluster: null, resourceId: id };
  return { cluster: id.slice(0, slash), resourceId: id.slice(slash + 1) };
}

/**
 * "by alice, 6d left": who accepted it and for how much longer, in kubectl's short durations so it
 * fits beside the other columns at 80 wide (the detail view has the exact expiry and the reason).
 */
export function waiverText(record: DriftRecord, now: number): string {
  const w = record.waiver;
  if (!w) return 'waived';
  const end = Date.parse(w.expires_at);
  const left = end > now ? `${age(new Date(now).toISOString(), end)} left` : 'expired';
  return `by ${w.owner}, ${left}`;
}

/** Every manager that last wrote a drifted field (the filter matches any of them), most frequent first. */
export function managersOf(record: DriftRecord): string[] {
  const counts = new Map<string, number>();
  for (const d of record.drift_details) {
    if (d.manager) counts.set(d.manager, (counts.get(d.manager) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m);
}

/** When the record's current state began: detection for active drift, resolution for resolved. */
export function recordTime(record: DriftRecord): string | null {
  if (record.drift_status === 'resolved') return record.resolved_at ?? record.last_checked;
  return record.first_detected ?? record.last_checked;
}

export function driftRow(record: DriftRecord, now: number, withCluster = false): string[] {
  const since = recordTime(record);
  return [
    ...(withCluster ? [record.cluster] : []),
    record.severity ?? '-',
    record.namespace || '-',
    `${record.kind}/${record.name}`,
    record.drift_type ?? '-',
    managerCell(record, now),
    since ? age(since, now) : '-',
  ];
}

/** The manager of the most severe field, as `kubectl driftguard status` shows it; a fight names both; a waived drift its waiver. */
function managerCell(record: DriftRecord, now: number): string {
  if (record.drift_status === 'waived') return waiverText(record, now);
  return record.fight ? `fight: ${record.fight.managers.join('⇄')}` : changedBy(record);
}
