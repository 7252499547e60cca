// `helm template` for a chart in the checkout: the chart is read from disk only (dependencies are
// vendored, or fetched beforehand by deps/ from the allowed repositories; helm pulls nothing), values files must sit inside the repository, inline values go through a
// temp file, and Capabilities come from the cluster when asked for (`auto`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ManifestFile } from '../../engine/index.ts';
import type { JsonValue } from '../../types.ts';
import { RenderError } from './errors.ts';
import { fileInside } from './safety.ts';
import type { ClusterInfo, HelmOptions } from './types.ts';

export function chartName(chartDir: string): string {
  try {
    const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name?: unknown } | null;
    if (chart && typeof chart.name === 'string' && chart.name !== '') return chart.name;
  } catch (e) {
    throw new RenderError('parse', `Chart.yaml: cannot parse: ${(e as Error).message.split('\n')[0]}`);
  }
  throw new RenderError('parse', 'Chart.yaml names no chart (name is missing)');
}

/** Leaf string values of inline values and --set, scrubbed from error messages (they may be secrets). */
export function secretValues(opts: HelmOptions): string[] {
  const out: string[] = Object.values(opts.set);
  const walk = (v: JsonValue): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(opts.values);
  return out;
}

export interface HelmArgs {
  args: string[];
  release: string;
}

export function helmArgs(
  repoDir: string,
  chartDir: string,
  namespace: string,
  opts: HelmOptions,
  cluster: ClusterInfo | null,
  tmp: string,
  /** The chart to render when it is not `chartDir` itself (a copy with fetched dependencies). */
  chartPath: string = chartDir,
): HelmArgs {
  const release = opts.release || chartName(chartDir);
  const args = ['template', release, chartPath, '--namespace', namespace];
  for (const f of opts.values_files) args.push('--values', fileInside(repoDir, chartDir, f, 'values file'));
  if (Object.keys(opts.values).length > 0) {
    const inline = join(tmp, 'inline-values.yaml');
    writeFileSync(inline, stringify(opts.values));
    args.push('--values', inline);
  }
  for (const [k, v] of Object.entries(opts.set)) args.push('--set', `${k}=${v}`);
  if (opts.include_crds) args.push('--include-crds');
  const kube = opts.kube_version === 'auto' ? cluster?.kubeVersion : opts.kube_version;
  if (kube) args.push('--kube-version', kube);
  const apis = opts.api_versions === 'auto' ? (cluster?.apiVersions ?? []) : opts.api_versions;
  for (const a of apis) args.push('--api-versions', a);
  return { args, release };
}

/** Does any template of the chart (or its vendored subcharts) call `lookup`? */
export function usesLookup(chartDir: string): boolean {
  const call = /\{\{-?[^}]*\blookup\s+["'`(.$]/;
  const walk = (dir: string): boolean => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (walk(full)) return true;
      } else if (e.isFile() && /\.(ya?ml|tpl|txt|json)$/.test(e.name) && statSync(full).size < 4 << 20) {
        if (call.test(readFileSync(full, 'utf8'))) return true;
      }
    }
    return false;
  };
  const templates = join(chartDir, 'templates');
  const charts = join(chartDir, 'charts');
  return (existsSync(templates) && walk(templates)) || (existsSync(charts) && walk(charts));
}

/**
 * Splits helm's output at its `# Source: <chart>/templates/x.yaml` comments into one file per
 * template, named by its path in the repository, so each object knows the template it came from.
 */
export function splitBySource(output: string, repoDir: string, chartDir: string): ManifestFile[] {
  const chartRel = relative(repoDir, chartDir).split(sep).join('/');
  const files = new Map<string, string[]>();
  let current = chartRel ? `${chartRel}/(rendered).yaml` : '(rendered).yaml';
  for (const doc of output.split(/^---[ \t]*$/m)) {
    const m = /^# Source: (\S+)/m.exec(doc);
    if (m?.[1]) {
      const inChart = m[1].split('/').slice(1).join('/');
      current = chartRel ? `${chartRel}/${inChart}` : inChart;
    }
    const list = files.get(current) ?? [];
    list.push(doc);
    files.set(current, list);
  }
  return [...files].map(([path, docs]) => ({
    path: /\.(ya?ml|json)$/i.test(path) ? path : `${path}.yaml`,
    content: docs.join('\n---\n'),
  }));
}
