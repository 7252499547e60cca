// The preview as a pull-request comment: a summary line first, then one collapsed <details> section
// per object with a table of the fields that change live; overwritten live drifts are flagged with
// who made them. Values come from drift details, so Secret values are already "(redacted)".
import type { Preview, PreviewObject } from '../../shared/engine/preview.ts';
import type { DriftDetail, JsonValue } from '../../shared/types.ts';

const MAX_CELL = 120;

function cell(v: JsonValue | undefined | null): string {
  if (v === null || v === undefined) return '_(absent)_';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (s.length > MAX_CELL) s = `${s.slice(0, MAX_CELL - 1)}…`;
  // Inside a table cell: no pipes, no line breaks, no backticks closing the code span.
  return `\`${s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, '\\n')}\``;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(p: Preview, base: string, head: string): string {
  const s = p.summary;
  const changed = s.added + s.modified + s.pruned;
  const what =
    changed === 0
      ? 'no object changes'
      : `${plural(changed, 'object')} change (${s.modified} modified, ${s.added} added, ${s.pruned} pruned), ${plural(s.fields_changed_live, 'field')} change live`;
  const warnOverwrite =
    s.drifts_overwritten > 0
      ? `; :warning: ${plural(s.drifts_overwritten, 'live drift')} would be overwritten`
      : '';
  return `**DriftGuard preview** of \`${base}\` → \`${head}\`: ${what}${warnOverwrite}.`;
}

function title(o: PreviewObject): string {
  const where = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  if (o.change === 'prune')
    return `${where}: removed from Git${o.live_exists ? ' (pruned from the cluster)' : ' (not in the cluster)'}`;
  if (!o.live_exists) return `${where}: ${o.change === 'add' ? 'added' : 'modified'}, created in the cluster`;
  const n = `${plural(o.to_live.length, 'field')} change live`;
  const over =
    o.overwrites.length > 0 ? `, :warning: overwrites ${plural(o.overwrites.length, 'live drift')}` : '';
  return `${where}: ${o.change === 'add' ? 'added (already live)' : 'modified'}, ${n}${over}`;
}

function row(d: DriftDetail, overwritten: boolean): string {
  const note = overwritten ? `overwrites a live change${d.manager ? ` by ${d.manager}` : ''}` : '';
  return `| ${cell(d.path)} | ${cell(d.live)} | ${cell(d.desired)} | ${note} |`;
}

function section(o: PreviewObject): string[] {
  const body: string[] = [`Declared in \`${o.source_file}\`.`, ''];
  if (o.to_live.length > 0) {
    body.push('| field | live now | after merge | |', '|---|---|---|---|');
    for (const d of o.to_live) body.push(row(d, o.overwrites.includes(d)));
  }
  return ['<details>', `<summary>${title(o)}</summary>`, '', ...body, '', '</details>'];
}

export function previewMarkdown(p: Preview, base: string, head: string): string {
  const lines = [summaryLine(p, base, head), ''];
  for (const o of p.objects) lines.push(...section(o), '');
  if (p.summary.unchanged > 0)
    lines.push(`${plural(p.summary.unchanged, 'other object')} unchanged by this change.`);
  return `${lines.join('\n').trimEnd()}\n`;
}
