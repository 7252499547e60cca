// The one summary line of `status`: tracked resources, active drifts by severity, the age of the
// last analysis and the Git commit it used.
import type { DriftRecord, Statistics } from '../../shared/types.ts';
import { age } from './age.ts';
import type { Palette } from './color.ts';

export function statusLine(
  stats: Statistics,
  active: DriftRecord[],
  colors: Palette,
  now: number = Date.now(),
): string {
  const count = (s: string): number => active.filter((r) => r.severity === s).length;
  const bySeverity = [
    colors.severity('high', `${count('high')} high`),
    colors.severity('medium', `${count('medium')} medium`),
    colors.severity('low', `${count('low')} low`),
  ].join(', ');
  const last = stats.last_analysis;
  const analysis = last ? `last analysis ${age(last.finished_at, now)} ago` : 'no analysis yet';
  const commit = last?.git_commit ? `commit ${last.git_commit.slice(0, 7)}` : 'commit unknown';
  const n = active.length;
  return `${stats.total_resources} resources tracked, ${n} active drift${n === 1 ? '' : 's'} (${bySeverity}), ${analysis}, ${commit}\n`;
}
