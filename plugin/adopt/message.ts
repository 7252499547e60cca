// How an adoption is told: one line per field (old → new, who changed it live) for the terminal
// and for the commit message.
import type { AdoptField } from '../../shared/engine/adopt/plan.ts';
import type { JsonValue } from '../../shared/types.ts';

export function valueText(v: JsonValue | null): string {
  if (v === null) return '(absent)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function fieldLine(f: AdoptField): string {
  const who = f.manager ? ` (changed live by ${f.manager})` : '';
  return `${f.path}: ${valueText(f.from)} → ${valueText(f.to)}${who}`;
}

export interface AdoptSummary {
  display: string;
  fields: readonly AdoptField[];
  files: readonly string[];
}

export function commitMessage(s: AdoptSummary): string {
  const managers = [...new Set(s.fields.map((f) => f.manager).filter((m) => m !== null))];
  return [
    `Adopt the live ${s.display} into Git (${s.fields.length} field${s.fields.length === 1 ? '' : 's'})`,
    '',
    ...s.fields.map(fieldLine),
    '',
    `Changed live by: ${managers.join(', ') || 'unknown'}.`,
    `Written by kubectl driftguard adopt into ${s.files.join(', ')}.`,
    '',
  ].join('\n');
}
