// `describe`: one record in full, kubectl-describe style. Header fields, then each changed field
// as a small diff (`- desired` red, `+ live` green) with its path, type, severity, manager and
// time, then the history of the record's episodes.
import { fightText } from './fight-text.ts';
import { changedByText } from '../../shared/changed-by.ts';
import { describeValue } from '../../shared/describe.ts';
import type { DriftDetail, DriftEvent, DriftRecord } from '../../shared/types.ts';
import { age } from './age.ts';
import { confirmText, explainedText } from './confirm-text.ts';
import type { Palette } from './color.ts';
import { shownSides } from './redact.ts';
import { renderTable } from './table.ts';

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(20)}${value}\n`;
}

function when(iso: string | null, now: number): string {
  return iso ? `${iso} (${age(iso, now)} ago)` : '<none>';
}

function detailBlock(rec: DriftRecord, d: DriftDetail, c: Palette, now: number): string {
  const shown = shownSides(rec.kind, d);
  const desired = describeValue(shown.desired);
  const live = describeValue(shown.live);
  const by = d.manager ? `by ${d.manager}` : 'by unknown manager';
  const at = d.changed_at ? `, ${d.changed_at} (${age(d.changed_at, now)} ago)` : '';
  const confirm = confirmText(d);
  return [
    `  ${c.bold(d.path)}  ${d.type}  ${c.severity(d.severity)}  ${by}${at}\n`,
    `    ${c.red(`- desired: ${desired}`)}\n`,
    `    ${c.green(`+ live:    ${live}`)}\n`,
    ...(confirm ? [`    ${confirm}\n`] : []),
  ].join('');
}

/** The person behind the drift, from the API server's audit events, with where from. */
function changedBy(a: NonNullable<DriftRecord['changed_by']>): string {
  const from = a.source_ips.length > 0 ? ` from ${a.source_ips.join(', ')}` : '';
  const groups = a.groups.length > 0 ? ` (groups ${a.groups.join(', ')})` : '';
  return `${changedByText(a)}${from}${groups}; ${a.user_agent ?? 'no user agent'}`;
}

function historyTable(events: DriftEvent[], c: Palette, now: number): string {
  return renderTable<DriftEvent>(
    [
      { header: 'AGE', cell: (e) => age(e.time, now) },
      { header: 'EVENT', cell: (e) => e.event },
      { header: 'STATUS', cell: (e) => `${e.from_status} -> ${e.to_status}` },
      { header: 'TYPE', cell: (e) => e.drift_type ?? '-' },
      { header: 'SEVERITY', cell: (e) => c.severity(e.severity) },
      { header: 'MESSAGE', cell: (e) => e.message ?? '' },
    ],
    events,
  ).replace(/^(?=.)/gm, '  ');
}

export function renderDescribe(
  rec: DriftRecord,
  events: DriftEvent[],
  c: Palette,
  now: number = Date.now(),
): string {
  const parts = [
    field('Name', rec.name),
    field('Namespace', rec.namespace || '<cluster-scoped>'),
    field('Kind', `${rec.kind} (${rec.api_version})`),
    field('Resource ID', rec.resource_id),
    field('Status', rec.drift_status),
    field('Drift Type', rec.drift_type ?? '<none>'),
    field('Severity', rec.severity ? c.severity(rec.severity) : '<none>'),
    field('First Detected', when(rec.first_detected, now)),
    field('Last Checked', when(rec.last_checked, now)),
    field('Resolved At', when(rec.resolved_at, now)),
    ...(rec.changed_by ? [field('Changed By', changedBy(rec.changed_by))] : []),
    ...(rec.waiver
      ? [
          field(
            'Waived',
            `by ${rec.waiver.owner} until ${rec.waiver.expires_at}: ${rec.waiver.reason} (${rec.waiver.id})`,
          ),
        ]
      : []),
    ...(rec.fight ? [field('Fight', fightText(rec.fight))] : []),
    ...(rec.resolution_message ? [field('Resolution', rec.resolution_message)] : []),
    field('Git Commit', rec.git_commit ?? '<unknown>'),
    field('Source', rec.source_file ?? '<unknown>'),
    field('Desired Hash', rec.desired_hash ?? '<none>'),
    field('Live Hash', rec.live_hash ?? '<none>'),
    '\n',
    `Changes (${rec.drift_details.length}):\n`,
  ];
  if (rec.drift_details.length === 0) parts.push('  <none>\n');
  for (const d of rec.drift_details) parts.push(detailBlock(rec, d, c, now));
  if (rec.explained?.length) {
    parts.push('\n', `Explained by the API server (${rec.explained.length}, not drift):\n`);
    for (const e of rec.explained) parts.push(`  ${explainedText(rec.kind, e)}\n`);
  }
  parts.push('\n', `History (${events.length}):\n`);
  parts.push(events.length ? historyTable(events, c, now) : '  <none>\n');
  return parts.join('');
}
