// The summary lines of `status`: tracked resources, active drifts by severity, the age of the last
// analysis and the Git commit it used; with --all-clusters one such line per cluster of the
// agent's database, with the version of the agent that analysed it.
import type {
  ClusterStatistics,
  DriftRecord,
  LastAnalysis,
  Severity,
  Statistics,
} from '../../shared/types.ts';
import { age } from './age.ts';
import type { Palette } from './color.ts';

/** `3 active drifts (1 high, 1 medium, 1 low)`. */
function activeText(n: number, count: (s: Severity) => number, colors: Palette): string {
  const bySeverity = [
    colors.severity('high', `${count('high')} high`),
    colors.severity('medium', `${count('medium')} medium`),
    colors.severity('low', `${count('low')} low`),
  ].join(', ');
  return `${n} active drift${n === 1 ? '' : 's'} (${bySeverity})`;
}

function analysisText(last: LastAnalysis | null, now: number): string {
  return last ? `last analysis ${age(last.finished_at, now)} ago` : 'no analysis yet';
}

export function statusLine(
  stats: Statistics,
  active: DriftRecord[],
  colors: Palette,
  now: number = Date.now(),
): string {
  const count = (s: string): number => active.filter((r) => r.severity === s).length;
  const last = stats.last_analysis;
  const commit = last?.git_commit ? `commit ${last.git_commit.slice(0, 7)}` : 'commit unknown';
  return `${stats.total_resources} resources tracked, ${activeText(active.length, count, colors)}, ${analysisText(last, now)}, ${commit}\n`;
}

/** `east: 12 resources tracked, 1 active drift (0 high, 1 medium, 0 low), last analysis 5s ago, agent 1.2.0`. */
export function clusterLine(c: ClusterStatistics, colors: Palette, now: number = Date.now()): string {
  const active = activeText(c.active_drifts, (s) => c.by_severity[s] ?? 0, colors);
  const agent = c.agent_version ? `agent ${c.agent_version}` : 'agent version unknown';
  return `${c.cluster}: ${c.total_resources} resources tracked, ${active}, ${analysisText(c.last_analysis, now)}, ${agent}\n`;
}

/** One line per cluster, in the order given (the API sorts them by name). */
export function clusterLines(
  clusters: ClusterStatistics[],
  colors: Palette,
  now: number = Date.now(),
): string {
  if (clusters.length === 0) return "No cluster has records or an analysis in the agent's database\n";
  return clusters.map((c) => clusterLine(c, colors, now)).join('');
}
