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

export function driftRow(record: DriftRecord, now: number): string[] {
  const since = recordTime(record);
  return [
    record.severity ?? '-',
    record.namespace || '-',
    `${record.kind}/${record.name}`,
    record.drift_type ?? '-',
    // The manager of the most severe field, as `kubectl driftguard status` shows it; a fight names both.
    record.fight ? `fight: ${record.fight.managers.join('⇄')}` : changedBy(record),
    since ? age(since, now) : '-',
  ];
}
