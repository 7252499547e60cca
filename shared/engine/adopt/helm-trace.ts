// Which values key of a Helm chart a rendered field comes from, found the way a person would: give a
// key a value no template could make up (a marker), render, and see which field shows it. Every
// string and number leaf gets its own marker in one render; a field whose rendered text is made of
// markers and literal text is matched against its live value to give each key its new value
// (`image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"` → repository and tag).
import type { JsonObject, JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';

export interface MarkedKey {
  /** The key's path in the values (map keys only). */
  path: string[];
  original: string | number;
  marker: string;
}

export interface Marked {
  values: JsonObject;
  keys: MarkedKey[];
}

/**
 * Number markers stay below 1e6: Helm reads values as float64, and Go prints 1e6 and above as
 * `1e+06`, so a larger marker would not show in the rendered text as written.
 */
const NUMBER_BASE = 987_001;
const NUMBER_MARKERS = 12_000;

/** `values` with each string leaf a unique `dgmark<N>z` and each number leaf a unique integer. */
export function markValues(values: JsonObject): Marked {
  const keys: MarkedKey[] = [];
  let numbers = 0;
  const walk = (v: JsonValue, path: string[]): JsonValue => {
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    // An empty string stays: a marker would turn an `if` on it true and change what renders.
    if ((typeof v === 'string' && v !== '') || (typeof v === 'number' && numbers < NUMBER_MARKERS)) {
      const marker = typeof v === 'string' ? `dgmark${keys.length}z` : String(NUMBER_BASE + numbers++);
      keys.push({ path, original: v, marker });
      return typeof v === 'string' ? marker : Number(marker);
    }
    return v;
  };
  return { values: walk(values, []) as JsonObject, keys };
}

export interface TracedKey {
  path: string[];
  value: string | number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The values keys (and their new values) that make the field render as `live`, given what it rendered
 * as with markers; null when no marker shows in it (a template writes it) or live does not fit.
 */
export function traceField(
  rendered: JsonValue | undefined,
  live: JsonValue | null,
  keys: readonly MarkedKey[],
): TracedKey[] | null {
  if (rendered === undefined || rendered === null || live === null) return null;
  if (typeof rendered !== 'string' && typeof rendered !== 'number') return null;
  const text = String(rendered);
  const found = keys
    .map((k) => ({ k, at: text.indexOf(k.marker) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  if (found.length === 0) return null;
  // Literal text between the markers must match live as it is; each marker captures its key's value.
  let pattern = '^';
  let pos = 0;
  for (const { k, at } of found) {
    pattern += `${escapeRe(text.slice(pos, at))}(.*?)`;
    pos = at + k.marker.length;
  }
  pattern += `${escapeRe(text.slice(pos))}$`;
  const m = new RegExp(pattern, 's').exec(String(live));
  if (!m) return null;
  return found.map(({ k }, i) => {
    const got = m[i + 1] ?? '';
    const asNumber = typeof k.original === 'number' && /^-?\d+(\.\d+)?$/.test(got);
    return { path: k.path, value: asNumber ? Number(got) : got };
  });
}

/** `values` with only `keys` set to their markers (one key at a time, when all at once will not render). */
export function withMarkers(values: JsonObject, keys: readonly MarkedKey[]): JsonObject {
  const out = structuredClone(values);
  for (const k of keys) {
    let cur: JsonObject = out;
    for (const p of k.path.slice(0, -1)) {
      const next = cur[p];
      if (!isObject(next)) break;
      cur = next;
    }
    const last = k.path[k.path.length - 1];
    if (last !== undefined) cur[last] = typeof k.original === 'number' ? Number(k.marker) : k.marker;
  }
  return out;
}

/** Keys worth trying one at a time for a field: those whose value shows in what it renders now. */
export function candidateKeys(
  now: JsonValue | undefined,
  keys: readonly MarkedKey[],
  limit = 20,
): MarkedKey[] {
  if (typeof now !== 'string' && typeof now !== 'number') return [];
  const text = String(now);
  return keys.filter((k) => text.includes(String(k.original))).slice(0, limit);
}
