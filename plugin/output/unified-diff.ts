// A unified diff (`diff -u`) of two texts, and the drift diff of one object in `kubectl diff`'s
// format: a `diff -u -N LIVE/… MERGED/…` header per object, `-` lines as the cluster has them, `+`
// lines as Git declares them. Pure: the callers print it.
import { stringify } from 'yaml';
import type { JsonObject } from '../../shared/types.ts';
import type { Palette } from './color.ts';

type Op = { tag: ' ' | '-' | '+'; line: string };

/** Line edit script by LCS over the part between the common prefix and suffix (the views differ little). */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  // lcs[i*(m+1)+j] = LCS length of am[i..] and bm[j..]
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        am[i] === bm[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ tag: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ tag: ' ', line: am[i] as string });
      i++;
      j++;
    } else if (j === m || (i < n && (lcs[(i + 1) * (m + 1) + j] ?? 0) >= (lcs[i * (m + 1) + j + 1] ?? 0))) {
      // On a tie the removal goes first, as GNU diff prints a change.
      ops.push({ tag: '-', line: am[i] as string });
      i++;
    } else {
      ops.push({ tag: '+', line: bm[j] as string });
      j++;
    }
  }
  for (const line of a.slice(a.length - suf)) ops.push({ tag: ' ', line });
  return ops;
}

/** Hunks with `context` lines around each change, in `diff -u` form; empty when the texts are equal. */
export function unifiedHunks(a: readonly string[], b: readonly string[], context = 3): string[] {
  const ops = diffLines(a, b);
  const changed = ops.map((o, k) => (o.tag !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  // Group changes whose context windows touch.
  const groups: [number, number][] = [];
  for (const k of changed) {
    const last = groups[groups.length - 1];
    if (last && k - last[1] <= 2 * context) last[1] = k;
    else groups.push([k, k]);
  }
  // Line numbers before each op, on each side.
  const aLine: number[] = [];
  const bLine: number[] = [];
  let x = 1;
  let y = 1;
  for (const o of ops) {
    aLine.push(x);
    bLine.push(y);
    if (o.tag !== '+') x++;
    if (o.tag !== '-') y++;
  }
  const hunks: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const aCount = slice.filter((o) => o.tag !== '+').length;
    const bCount = slice.filter((o) => o.tag !== '-').length;
    // diff -u names an empty range by the line before it (0 for an empty file).
    const aStart = aCount === 0 ? (aLine[from] ?? 1) - 1 : (aLine[from] ?? 1);
    const bStart = bCount === 0 ? (bLine[from] ?? 1) - 1 : (bLine[from] ?? 1);
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
    const body = slice.map((o) => `${o.tag}${o.line}`).join('\n');
    hunks.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n${body}`);
  }
  return hunks;
}

/**
 * YAML as kubectl diff prints objects: keys sorted, and strings a YAML 1.1 reader (go-yaml, so
 * kubectl) would take for booleans quoted (`"yes"`, `"on"`).
 */
export function objectYaml(o: JsonObject | null): string[] {
  if (!o) return [];
  return stringify(o, { sortMapEntries: true, lineWidth: 0, version: '1.1' }).replace(/\n$/, '').split('\n');
}

export interface ObjectDiffInput {
  api_version: string;
  kind: string;
  namespace: string;
  name: string;
  desired_view: JsonObject;
  live_view: JsonObject | null;
}

/** `apps.v1.Deployment.shop.web`, `v1.ConfigMap.shop.web-config`: kubectl diff's file name for an object. */
export function diffFileName(
  o: Pick<ObjectDiffInput, 'api_version' | 'kind' | 'namespace' | 'name'>,
): string {
  const gv = o.api_version.replace('/', '.');
  return [gv, o.kind, ...(o.namespace ? [o.namespace] : []), o.name].join('.');
}

/** One object's drift diff in kubectl diff's format, or '' when the views are equal. */
export function renderObjectDiff(o: ObjectDiffInput, c: Palette): string {
  const hunks = unifiedHunks(objectYaml(o.live_view), objectYaml(o.desired_view));
  if (hunks.length === 0) return '';
  const file = diffFileName(o);
  const lines = [
    c.bold(`diff -u -N LIVE/${file} MERGED/${file}`),
    c.bold(`--- LIVE/${file}`),
    c.bold(`+++ MERGED/${file}`),
  ];
  for (const h of hunks)
    for (const line of h.split('\n')) {
      if (line.startsWith('@@')) lines.push(c.cyan(line));
      else if (line.startsWith('-')) lines.push(c.red(line));
      else if (line.startsWith('+')) lines.push(c.green(line));
      else lines.push(line);
    }
  return `${lines.join('\n')}\n`;
}
