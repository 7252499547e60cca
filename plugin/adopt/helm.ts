// Adopt into a Helm chart: each field is traced to the values key that produces it (one render with a
// marker in every key, shared/engine/adopt/helm-trace.ts) and written into the values file given
// with --values. A field no key produces is the template's own: adopt names the template and prints
// the patch for the user to make there.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { markValues, traceField, type TracedKey } from '../../shared/engine/adopt/helm-trace.ts';
import type { AdoptField } from '../../shared/engine/adopt/plan.ts';
import type { FieldEdit } from '../../shared/engine/adopt/yaml-edit.ts';
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
  let rendered;
  try {
    rendered = await render({
      repoDir,
      path: src.path ?? '',
      type: 'helm',
      namespace: src.defaultNamespace,
      commit: null,
      helm: { ...src.helm, values: marked.values },
      tools: await findTools(),
    });
  } catch (err) {
    if (err instanceof RenderError)
      throw new CliError(
        `cannot trace the fields to values keys: the chart does not render with marker values (${err.message})`,
      );
    throw err;
  }
  const obj =
    rendered.objects.find((d) => d.id === target.id) ??
    (rendered.objects.filter((d) => d.object.kind === target.kind).length === 1
      ? rendered.objects.find((d) => d.object.kind === target.kind)
      : undefined);
  if (!obj)
    throw new CliError(
      `cannot trace ${target.id}: the chart renders it under another name with marker values`,
    );
  const traced: { f: AdoptField; keys: TracedKey[] }[] = [];
  const notes: string[] = [];
  for (const f of fields) {
    const keys = traceField(getAt(obj.object, f.segs, target.kind), f.to, marked.keys);
    if (keys) traced.push({ f, keys });
    else
      notes.push(
        `${f.path} is written by ${obj.sourceFile}, not by a values key: change the template, e.g. with this patch:\n${patchText(target, f)}`,
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
