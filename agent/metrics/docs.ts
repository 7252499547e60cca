// The metrics' documentation, generated from the declarations (agent/metrics/declared.ts): the
// README's table and the OpenAPI /metrics description. Nothing here is written by hand.
import { METRICS, type MetricDecl } from './declared.ts';

const ALL: readonly MetricDecl[] = Object.values(METRICS);

/** `name{a,b}` as PromQL users read it. */
export function series(m: MetricDecl): string {
  return m.labels.length === 0 ? m.name : `${m.name}{${m.labels.join(',')}}`;
}

function described(m: MetricDecl): string {
  return m.note === undefined ? m.help : `${m.help} (${m.note})`;
}

/** Markdown: one row per metric, in declaration order. `|` in text is escaped for the table. */
export function metricsTable(): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|');
  const rows = ALL.map((m) => `| \`${series(m)}\` | ${m.type} | ${cell(described(m))} |`);
  return ['| metric | type | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The OpenAPI /metrics description (Markdown list). */
export function metricsDescription(): string {
  const items = ALL.map((m) => `- \`${series(m)}\` (${m.type}): ${described(m)}`);
  return [
    'Prometheus text exposition format. Metrics:',
    '',
    ...items,
    '',
    'and the Node.js process defaults.',
    '',
  ].join('\n');
}

export const README_START =
  '<!-- metrics table: generated from agent/metrics/declared.ts by `npm run docs` -->';
export const README_END = '<!-- end of metrics table -->';

/** `readme` with the text between the markers replaced by the generated table. */
export function withMetricsTable(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`README.md: markers ${README_START} … ${README_END} not found`);
  return `${readme.slice(0, start + README_START.length)}\n\n${metricsTable()}\n\n${readme.slice(end)}`;
}
