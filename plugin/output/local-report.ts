// The table report of `analyze --local`: drifted resources only, then one summary line.
import type { DriftResult } from '../../shared/types.ts';
import type { Palette } from './color.ts';
import { renderDriftTable } from './drift-rows.ts';

export function localSummary(results: DriftResult[]): string {
  const drifted = results.filter((r) => r.drift_detected).length;
  const n = results.length;
  if (n === 0) return 'No resources found in the repository';
  if (drifted === 0) return `No drift: ${n} resource${n === 1 ? '' : 's'} in sync`;
  return `${drifted} of ${n} resource${n === 1 ? '' : 's'} drifted`;
}

export function renderLocalReport(results: DriftResult[], wide: boolean, colors: Palette): string {
  const drifted = results.filter((r) => r.drift_detected);
  const table = drifted.length ? renderDriftTable(drifted, { wide, withAge: false, colors }) + '\n' : '';
  return `${table}${localSummary(results)}\n`;
}
