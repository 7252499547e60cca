// The detail view's text: one drifted resource's per-field desired-vs-live diff and its history.
// Fields are printed one by one (never the raw record), so nothing but the diff reaches the screen;
// Secret values arrive already redacted by the agent, and are redacted again here (output/redact.ts).
import { changedByText } from '../../../shared/changed-by.ts';
import type { DriftDetail, DriftEvent, DriftRecord } from '../../../shared/types.ts';
import type { Severity } from '../../../shared/types.ts';
import { describeValue } from '../../../shared/describe.ts';
import { confirmText, explainedText } from '../../output/confirm-text.ts';
import { fightText } from '../../output/fight-text.ts';
import { shownSides } from '../../output/redact.ts';
import { truncate } from './text.ts';

export interface DetailLine {
  text: string;
  /** Colour hint for the view: severity colour, diff sides, or a dim label. */
  tone?: Severity | 'desired' | 'live' | 'dim' | 'title';
}

function detailLines(kind: string, d: DriftDetail, width: number): DetailLine[] {
  const meta = [d.type, d.severity, d.manager ?? 'unknown manager', d.changed_at ?? 'unknown time'].join(
    ' · ',
  );
  const { desired, live } = shownSides(kind, d);
  return [
    { text: truncate(d.path, width), tone: d.severity },
    { text: truncate(`  ${meta}`, width), tone: 'dim' },
    { text: truncate(`  - desired: ${describeValue(desired)}`, width), tone: 'desired' },
    { text: truncate(`  + live:    ${describeValue(live)}`, width), tone: 'live' },
    ...confirmLine(d, width),
  ];
}

function confirmLine(d: DriftDetail, width: number): DetailLine[] {
  const text = confirmText(d);
  return text ? [{ text: truncate(`  ${text}`, width), tone: 'dim' }] : [];
}

function summaryLines(r: DriftRecord, width: number): DetailLine[] {
  const facts = [
    `status ${r.drift_status}`,
    r.drift_type ? `type ${r.drift_type}` : null,
    r.severity ? `severity ${r.severity}` : null,
    r.first_detected ? `detected ${r.first_detected}` : null,
    r.resolved_at ? `resolved ${r.resolved_at}` : null,
  ].filter((f): f is string => f !== null);
  const lines: DetailLine[] = [
    { text: truncate(`${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}`, width), tone: 'title' },
    { text: truncate(facts.join('  '), width), tone: 'dim' },
  ];
  const source = [r.source_file, r.git_commit ? `@ ${r.git_commit.slice(0, 12)}` : null]
    .filter(Boolean)
    .join(' ');
  if (source) lines.push({ text: truncate(`source ${source}`, width), tone: 'dim' });
  if (r.changed_by) lines.push({ text: truncate(changedByText(r.changed_by), width) });
  if (r.waiver)
    lines.push({
      text: truncate(`waived by ${r.waiver.owner} until ${r.waiver.expires_at}: ${r.waiver.reason}`, width),
      tone: 'dim',
    });
  if (r.fight) lines.push({ text: truncate(`fight: ${fightText(r.fight)}`, width), tone: 'high' });
  if (r.resolution_message) lines.push({ text: truncate(`resolution: ${r.resolution_message}`, width) });
  return lines;
}

export function historyLine(e: DriftEvent, width: number): DetailLine {
  const what = [e.event, `${e.from_status}→${e.to_status}`, e.drift_type, e.severity, e.message]
    .filter((p): p is string => Boolean(p))
    .join(' ');
  return { text: truncate(`${e.time}  ${what}`, width), tone: e.severity ?? undefined };
}

/** Every line of the detail view, top to bottom; the view scrolls a window over them. */
export function recordDetailLines(
  record: DriftRecord,
  history: readonly DriftEvent[] | null,
  width: number,
): DetailLine[] {
  const lines = summaryLines(record, width);
  lines.push({ text: '' }, { text: `FIELDS (${record.drift_details.length})`, tone: 'title' });
  if (record.drift_details.length === 0) lines.push({ text: '  no drifted fields', tone: 'dim' });
  for (const d of record.drift_details) lines.push(...detailLines(record.kind, d, width));
  for (const e of record.explained ?? [])
    lines.push({ text: truncate(`  ${explainedText(record.kind, e)}`, width), tone: 'dim' });
  lines.push({ text: '' }, { text: 'HISTORY', tone: 'title' });
  if (history === null) lines.push({ text: '  loading…', tone: 'dim' });
  else if (history.length === 0) lines.push({ text: '  no events', tone: 'dim' });
  else for (const e of history) lines.push(historyLine(e, width));
  return lines;
}
