// The browser's `i`: kubectl driftguard ignore for the drifted field at the top of the detail
// view, drawn above the record (the proposal, what it matches now, the config entry, the annotation).
import type { DriftRecord } from '../../../shared/types.ts';
import { proposeIgnore } from '../../act/ignore.ts';
import { ignoreLines } from '../../act/ignore-text.ts';
import type { DetailLine } from './detail.ts';
import { wrap } from './text.ts';

/** The first drifted field whose line is on screen (`shown`: the detail lines from the top of the screen). */
export function fieldOnScreen(record: DriftRecord, shown: readonly DetailLine[]): string | null {
  const paths = new Set(record.drift_details.map((d) => d.path));
  return shown.find((l) => paths.has(l.text))?.text ?? record.drift_details[0]?.path ?? null;
}

export function ignoreProposalLines(
  record: DriftRecord | null,
  shown: readonly DetailLine[],
  records: readonly DriftRecord[],
  width: number,
): DetailLine[] {
  const field = record ? fieldOnScreen(record, shown) : null;
  if (!record || field === null) return [{ text: 'no drifted field to ignore', tone: 'dim' }, { text: '' }];
  try {
    const lines = ignoreLines(proposeIgnore(record, field, records));
    return [
      ...lines.flatMap((l, i) =>
        wrap(l, width).map((text) => ({ text, ...(i === 0 ? { tone: 'title' as const } : {}) })),
      ),
      { text: '' },
    ];
  } catch (err) {
    return [{ text: (err as Error).message, tone: 'high' }, { text: '' }];
  }
}
