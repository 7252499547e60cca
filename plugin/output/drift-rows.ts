// Table rows for drift results and records: one row per resource, the most severe changed field
// summarised in DETAIL. Works for the engine's DriftResult and the agent's DriftRecord alike.
import { summarizeDetail } from '../../shared/engine/index.ts';
import { SEVERITY_RANK, type DriftDetail, type DriftResult, type DriftRecord } from '../../shared/types.ts';
import { age } from './age.ts';
import { changeEntries, summarizeReplacement } from './change-entries.ts';
import type { Palette } from './color.ts';
import { renderTable, type Column } from './table.ts';

export type DriftRow = DriftResult | DriftRecord;

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function resourceLabel(r: Pick<DriftRow, 'kind' | 'namespace' | 'name'>): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

/** The detail that decides the record's severity: highest rank, first one on ties. */
export function mostSevere(details: DriftDetail[]): DriftDetail | undefined {
  let best: DriftDetail | undefined;
  for (const d of details) {
    if (!best || SEVERITY_RANK[d.severity] > SEVERITY_RANK[best.severity]) best = d;
  }
  return best;
}

/**
 * The detail the row stands for: of the record's own type and severity, the most recently changed
 * one. A replaced list item shows as removed + added: the addition (a live value) names who made the
 * change, the removal only the owner of its parent, so an addition wins a tie — managedFields times
 * have one-second resolution, and both often carry the same second.
 */
export function leadDetail(r: DriftRow): DriftDetail | undefined {
  const key = (d: DriftDetail): string =>
    `${d.changed_at ?? ''}|${d.live === null || d.live === undefined ? 0 : 1}`;
  let lead: DriftDetail | undefined;
  for (const d of r.drift_details) {
    if (d.type !== r.drift_type || d.severity !== r.severity) continue;
    if (!lead || key(d) > key(lead)) lead = d;
  }
  return lead ?? mostSevere(r.drift_details);
}

export function detailText(r: DriftRow): string {
  if (r.drift_status === 'resolved' && 'resolution_message' in r && r.resolution_message)
    return r.resolution_message;
  const top = leadDetail(r);
  if (!top) return r.drift_type === 'Missing' ? 'not found in the cluster' : '-';
  // One entry per change: a list item replaced under a new key (a port renumbered) is one.
  const entries = changeEntries(r.drift_details);
  const entry = entries.find((e) => e.includes(top));
  const text =
    entry?.length === 2
      ? summarizeReplacement(entry[0] as DriftDetail, entry[1] as DriftDetail)
      : summarizeDetail(top);
  const more = entries.length - 1;
  return more > 0 ? `${text} (+${more} more)` : text;
}

export function changedBy(r: DriftRow): string {
  return leadDetail(r)?.manager ?? '-';
}

export interface DriftTableOptions {
  wide: boolean;
  /** Adds AGE (since first detection): records from the agent have it, local results do not. */
  withAge: boolean;
  /** Adds STATUS (active/resolved/none), for lists that mix them. */
  withStatus?: boolean;
  /** Adds CLUSTER first, for lists of several clusters' records (get --all-clusters). */
  withCluster?: boolean;
  colors: Palette;
  now?: number;
}

/** Since the drift began; a record in sync has no episode, so since the agent last compared it. */
function firstDetected(r: DriftRow): string | null {
  if (!('first_detected' in r)) return null;
  return r.first_detected ?? r.last_checked;
}

export function driftColumns(opts: DriftTableOptions): Column<DriftRow>[] {
  const c = opts.colors;
  const cols: Column<DriftRow>[] = [];
  if (opts.withCluster) cols.push({ header: 'CLUSTER', cell: (r) => ('cluster' in r ? r.cluster : '-') });
  if (opts.wide) cols.push({ header: 'NAMESPACE', cell: (r) => r.namespace || '-' });
  // Wide has its own NAMESPACE column: the resource is not to repeat it.
  cols.push({ header: 'RESOURCE', cell: (r) => (opts.wide ? `${r.kind}/${r.name}` : resourceLabel(r)) });
  // kubectl's habit for a condition beside the state (Ready,SchedulingDisabled).
  if (opts.withStatus)
    cols.push({
      header: 'STATUS',
      cell: (r) => ('fight' in r && r.fight ? `${r.drift_status},fight` : r.drift_status),
    });
  cols.push(
    { header: 'TYPE', cell: (r) => r.drift_type ?? '-' },
    { header: 'SEVERITY', cell: (r) => c.severity(r.severity) },
  );
  if (opts.withAge) cols.push({ header: 'AGE', cell: (r) => age(firstDetected(r), opts.now) });
  cols.push({ header: 'CHANGED-BY', cell: changedBy });
  if (opts.wide) {
    cols.push(
      { header: 'SOURCE', cell: (r) => r.source_file ?? '-' },
      {
        header: 'PATHS',
        cell: (r) => (r.drift_details.length ? r.drift_details.map((d) => d.path).join(',') : '-'),
      },
    );
  }
  cols.push({ header: 'DETAIL', cell: detailText });
  return cols;
}

export function renderDriftTable(rows: DriftRow[], opts: DriftTableOptions): string {
  return renderTable(driftColumns(opts), rows);
}

/** Records grouped by cluster (each cluster's in the order given), for a CLUSTER column. */
export function byCluster<T extends { cluster: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => a.cluster.localeCompare(b.cluster));
}
