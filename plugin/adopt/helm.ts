// Adopt into a Helm chart: each field is traced to the values key that produces it (one render with a
// marker in every key, shared/engine/adopt/helm-trace.ts) and written into the values file given
// with --values. A field no key produces is the template's own: adopt names the template and prints
// the patch for the user to make there.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import {
  candidateKeys,
  markValues,
  traceField,
  withMarkers,
  type MarkedKey,
  type TracedKey,
} from '../../shared/engine/adopt/helm-trace.ts';
import type { AdoptField } from '../../shared/engine/adopt/plan.ts';
import type { FieldEdit } from '../../shared/engine/adopt/yaml-edit.ts';
import type { DesiredObject } from '../../shared/engine/index.ts';
import { isObject } from '../../shared/engine/json.ts';
import { readByLibrary } from '../../shared/engine/parse.ts';
import { getAt } from '../../shared/engine/path.ts';
import { findTools, render, RenderError } from '../../shared/node/render/index.ts';
import { sourceRoot } from '../../shared/node/source-files.ts';
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { editAt, readRepoFile, type Written } from './plain.ts';
import type { AdoptTarget, LocalSource } from './target.ts';

function readValues(repoDir: string, file: string): JsonObject {
  if (!existsSync(join(repoDir, file))) return {};
  const v = readByLibrary(readRepoFile(repoDir, file)).docs[0]?.toJS() as JsonValue | undefined;
  return isObject(v) ? v : {};
}

/** Maps merged key by key, `over` winning, as helm merges values files. */
function merge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? merge(b, v) : v;
  }
  return out;
}

function patchText(target: AdoptTarget, f: AdoptField): string {
  const apiVersion = target.desired?.object.apiVersion ?? 'v1';
  let v: JsonValue = f.to;
  for (let i = f.segs.length - 1; i >= 0; i--) {
    const s = f.segs[i]!;
    v = 'field' in s ? { [s.field]: v } : [isObject(v) ? { ...s.key, ...v } : v];
  }
  const meta = { name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}) };
  return stringify({ apiVersion, kind: target.kind, metadata: meta, ...(v as JsonObject) });
}

export interface HelmWrite {
  written: Written[];
  notes: string[];
}

export async function helmWrites(
  repoDir: string,
  target: AdoptTarget,
  fields: readonly AdoptField[],
  valuesFile: string | undefined,
  src: LocalSource,
): Promise<HelmWrite> {
  const chartDir = sourceRoot(repoDir, src.path ?? '');
  const chartRel = relative(repoDir, chartDir).split(sep).join('/');
  const rel = (f: string): string => (chartRel ? `${chartRel}/${f}` : f);
  const values = merge(
    readValues(repoDir, rel('values.yaml')),
    valuesFile ? readValues(repoDir, rel(valuesFile)) : {},
  );
  const marked = markValues(values);
  const tools = await findTools();
  /** The object as the chart renders it with these values; null when it does not render or is renamed. */
  const renderWith = async (v: JsonObject): Promise<DesiredObject | null> => {
    try {
      const r = await render({
        repoDir,
        path: src.path ?? '',
        type: 'helm',
        namespace: src.defaultNamespace,
        commit: null,
        helm: { ...src.helm, values: v },
        tools,
      });
      const sameKind = r.objects.filter((d) => d.object.kind === target.kind);
      return r.objects.find((d) => d.id === target.id) ?? (sameKind.length === 1 ? sameKind[0]! : null);
    } catch (err) {
      if (err instanceof RenderError) return null;
      throw err;
    }
  };
  // Every key marked at once: one render. A chart that checks its values (semverCompare, required
  // formats) may refuse that; then each likely key is marked alone and the field watched for it.
  const all = await renderWith(marked.values);
  const trace = async (f: AdoptField): Promise<TracedKey[] | null> => {
    if (all) return traceField(getAt(all.object, f.segs, target.kind), f.to, marked.keys);
    const now = target.desired ? getAt(target.desired.object, f.segs, target.kind) : undefined;
    const moving: MarkedKey[] = [];
    let alone: JsonValue | undefined;
    for (const k of candidateKeys(now, marked.keys)) {
      const o = await renderWith(withMarkers(values, [k]));
      const v = o ? getAt(o.object, f.segs, target.kind) : undefined;
      if (v !== undefined && v !== null && String(v).includes(k.marker)) {
        moving.push(k);
        alone = v;
      }
    }
    if (moving.length === 0) return null;
    // Several keys make the field (repository:tag): marked together once more to see how.
    const together = moving.length === 1 ? null : await renderWith(withMarkers(values, moving));
    const v =
      moving.length === 1 ? alone : together ? getAt(together.object, f.segs, target.kind) : undefined;
    return traceField(v, f.to, moving);
  };
  const traced: { f: AdoptField; keys: TracedKey[] }[] = [];
  const notes: string[] = [];
  if (!all)
    notes.push('the chart does not render with every values key marked at once: traced one key at a time');
  for (const f of fields) {
    const keys = await trace(f);
    if (keys) traced.push({ f, keys });
    else
      notes.push(
        `${f.path} is written by ${target.sourceFile}, not by a values key: change the template, e.g. with this patch:\n${patchText(target, f)}`,
      );
  }
  const current = (path: string[]): JsonValue | undefined =>
    getAt(
      values,
      path.map((field) => ({ field })),
      'Values',
    );
  const edits: FieldEdit[] = traced
    .flatMap((t) => t.keys)
    .filter((k) => current(k.path) !== k.value)
    .map((k) => ({ segs: k.path.map((field) => ({ field })), value: k.value }));
  for (const t of traced)
    notes.push(
      `${t.f.path} comes from values ${t.keys.map((k) => `${k.path.join('.')}=${JSON.stringify(k.value)}`).join(', ')}`,
    );
  if (edits.length === 0) return { written: [], notes };
  if (!valuesFile)
    throw new CliError(
      `${traced.map((t) => t.f.path).join(', ')} come(s) from values keys (${edits.map((e) => e.segs.map((s) => ('field' in s ? s.field : '')).join('.')).join(', ')}): pass --values FILE (relative to the chart) to write them there`,
    );
  const file = rel(valuesFile);
  const exists = existsSync(join(repoDir, file));
  const text = exists ? readRepoFile(repoDir, file) : '';
  if (text.trim() === '') {
    let v: JsonObject = {};
    for (const e of edits)
      v = merge(
        v,
        e.segs.reduceRight<JsonValue>(
          (acc, s) => ('field' in s ? { [s.field]: acc } : acc),
          e.value ?? null,
        ) as JsonObject,
      );
    return { written: [{ file, document: null, before: text, after: stringify(v) }], notes };
  }
  return {
    written: [{ ...editAt(file, text, { document: 0, item: null }, 'Values', edits), document: null }],
    notes,
  };
}
