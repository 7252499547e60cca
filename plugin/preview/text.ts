// The preview on a terminal: one block per object, a line per field that changes live.
import type { Preview } from '../../shared/engine/preview.ts';
import type { JsonValue } from '../../shared/types.ts';
import { summaryLine } from './markdown.ts';

function v(x: JsonValue | undefined | null): string {
  if (x === null || x === undefined) return '(absent)';
  return typeof x === 'string' ? x : JSON.stringify(x);
}

export function previewText(p: Preview, base: string, head: string): string {
  const out: string[] = [summaryLine(p, base, head).replace(/\*\*|`|:warning: /g, '')];
  for (const o of p.objects) {
    const id = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    const state = o.change === 'prune' ? 'pruned' : o.live_exists ? o.change : `${o.change}, created`;
    out.push('', `${id} (${state}; ${o.source_file})`);
    for (const d of o.to_live) {
      const over = o.overwrites.includes(d)
        ? `   ! overwrites a live change${d.manager ? ` by ${d.manager}` : ''}`
        : '';
      out.push(`  ${d.path}: ${v(d.live)} → ${v(d.desired)}${over}`);
    }
  }
  return `${out.join('\n')}\n`;
}
