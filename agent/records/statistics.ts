// The statistics the API serves, computed in code from the stored records and events (the stores
// only run simple queries, so the same code serves MongoDB, FerretDB and the embedded store).
import {
  SEVERITY_RANK,
  type DriftEvent,
  type DriftRecord,
  type LastAnalysis,
  type Severity,
  type SourceStatistics,
  type Statistics,
} from '../../shared/types.ts';
import { meanTimeToResolveSeconds } from './resolve-time.ts';
import { activeTrend, type TrendOptions } from './trend.ts';

/** The weight of an active drift in the drift score is its severity rank (low 1 … high 3). */
const MAX_WEIGHT = SEVERITY_RANK.high;

/**
 * Drift score: the severity-weighted share of tracked resources in active drift,
 *   sum over active records of weight(severity) / 3, divided by the number of records,
 * with weight low = 1, medium = 2, high = 3. 0 = everything in sync (or nothing tracked),
 * 1 = every tracked resource in high-severity drift. Rounded to 4 decimals.
 */
export function driftScore(records: DriftRecord[]): number {
  const active: Severity[] = [];
  for (const r of records) if (r.drift_status === 'active') active.push(r.severity ?? 'low');
  return driftScoreOf(active, records.length);
}

/** The same score from the severities of the active records and the number of records. */
export function driftScoreOf(activeSeverities: Iterable<Severity>, records: number): number {
  if (records === 0) return 0;
  let weighted = 0;
  for (const severity of activeSeverities) weighted += SEVERITY_RANK[severity] / MAX_WEIGHT;
  return Math.round((weighted / records) * 10_000) / 10_000;
}

function increment<K extends string>(counts: Partial<Record<K, number>>, key: K | null): void {
  if (key !== null) counts[key] = (counts[key] ?? 0) + 1;
}

/** The part of the statistics that only the records and events decide (memoised by the API until the next write). */
export interface RecordTotals {
  counts: Pick<
    Statistics,
    | 'total_resources'
    | 'drifted_resources'
    | 'active_drifts'
    | 'resolved_drifts'
    | 'by_type'
    | 'by_severity'
    | 'by_namespace'
    | 'mean_time_to_resolve_seconds'
    | 'drift_score'
  >;
  /** Active records per source name. */
  drifted: Map<string, number>;
}

export function recordTotals(records: DriftRecord[], events: DriftEvent[]): RecordTotals {
  const counts: RecordTotals['counts'] = {
    total_resources: records.length,
    drifted_resources: 0,
    active_drifts: 0,
    resolved_drifts: 0,
    by_type: {},
    by_severity: {},
    by_namespace: {},
    mean_time_to_resolve_seconds: meanTimeToResolveSeconds(records, events),
    drift_score: driftScore(records),
  };
  const drifted = new Map<string, number>();
  for (const r of records) {
    if (r.drift_status === 'resolved') counts.resolved_drifts++;
    if (r.drift_status !== 'active') continue;
    counts.active_drifts++;
    counts.drifted_resources++;
    increment(counts.by_type, r.drift_type);
    increment(counts.by_severity, r.severity);
    counts.by_namespace[r.namespace] = (counts.by_namespace[r.namespace] ?? 0) + 1;
    if (r.source) drifted.set(r.source, (drifted.get(r.source) ?? 0) + 1);
  }
  return { counts, drifted };
}

/** The statistics at `now` from the totals: adds the last analysis, the trend and the sources (the API adds the clusters). */
export function statisticsAt(
  totals: RecordTotals,
  events: DriftEvent[],
  lastAnalysis: LastAnalysis | null,
  now: string,
  trend: TrendOptions = {},
  sources: Omit<SourceStatistics, 'drifted'>[] = [],
): Omit<Statistics, 'clusters'> {
  return {
    ...totals.counts,
    last_analysis: lastAnalysis,
    trend: activeTrend(totals.counts.active_drifts, events, now, trend),
    sources: sources.map((s) => ({ ...s, drifted: totals.drifted.get(s.name) ?? 0 })),
  };
}

/**
 * Statistics from every record, the transition events of the trend window (pass at least the
 * last 24 h, e.g. `store.eventsSince(now − 24 h)`; more history makes the mean time to resolve
 * cover more episodes) and the last analysis.
 * - total_resources: every tracked record (none, active and resolved).
 * - drifted_resources and active_drifts: records in status active (one open drift episode per
 *   resource, so the two are equal; the contract keeps both names).
 * - resolved_drifts: records in status resolved (what `/drift-records/resolved` lists).
 * - by_type, by_severity, by_namespace: active records only.
 * - mean_time_to_resolve_seconds: see meanTimeToResolveSeconds; null when none was resolved.
 * - drift_score: see driftScore.
 * - trend: active drifts over the window, see activeTrend.
 */
export function buildStatistics(
  records: DriftRecord[],
  events: DriftEvent[],
  lastAnalysis: LastAnalysis | null,
  now: string,
  trend: TrendOptions = {},
  sources: Omit<SourceStatistics, 'drifted'>[] = [],
): Omit<Statistics, 'clusters'> {
  return statisticsAt(recordTotals(records, events), events, lastAnalysis, now, trend, sources);
}
