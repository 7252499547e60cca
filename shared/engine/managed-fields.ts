// Reading live `metadata.managedFields` (FieldsV1). Each entry is a tree: `f:<field>` for a map field,
// `k:{json}` for a list item identified by its merge key, `v:<json>` for a set member, `i:<n>` for a
// positional item, and `.` meaning "this node itself". A leaf `{}` owns the whole value below it.
import type { JsonObject, JsonValue, KubeObject } from '../types.ts';
import { isObject } from './json.ts';
import type { Segment } from './path.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  subresource: string | null;
  time: string | null;
  /** Epoch ms of `time` (0 when unknown), for picking the newest writer. */
  timeMs: number;
  fields: JsonObject;
}

/**
 * kubectl names its field manager after the verb (`kubectl-set`, `kubectl-label`, …), except
 * `kubectl scale`, which writes through the scale subresource as plain `kubectl`. Naming that
 * entry `kubectl-scale` tells the user which command it was; other managers keep their names so
 * ignore rules written against them still match.
 */
function managerName(manager: string, subresource: string | null): string {
  return manager === 'kubectl' && subresource ? `kubectl-${subresource}` : manager;
}

export function parseManagedFields(live: KubeObject | undefined): ManagedFieldsEntry[] {
  const list = live?.metadata['managedFields'];
  if (!Array.isArray(list)) return [];
  const out: ManagedFieldsEntry[] = [];
  for (const e of list) {
    if (!isObject(e) || typeof e['manager'] !== 'string') continue;
    const fields = e['fieldsV1'];
    // Timestamps may arrive as strings or (from some clients' caches) already-serialised dates.
    const t: unknown = e['time'];
    const time =
      typeof t === 'string' ? t : t instanceof Date ? t.toISOString().replace(/\.000Z$/, 'Z') : null;
    const ms = time ? Date.parse(time) : NaN;
    const subresource =
      typeof e['subresource'] === 'string' && e['subresource'] !== '' ? e['subresource'] : null;
    out.push({
      manager: managerName(e['manager'], subresource),
      operation: typeof e['operation'] === 'string' ? e['operation'] : 'Update',
      subresource,
      time,
      timeMs: Number.isNaN(ms) ? 0 : ms,
      fields: isObject(fields) ? fields : {},
    });
  }
  return out;
}

/** Does a `k:{json}` key name the list item with merge key `key`? (ports come as numbers, keys compare as text) */
function keyMatches(fvKey: string, key: Record<string, string | number>): boolean {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(fvKey.slice(2)) as JsonValue;
  } catch {
    return false;
  }
  if (!isObject(parsed)) return false;
  const shared = Object.keys(parsed).filter((k) => k in key);
  if (shared.length === 0) return false;
  return Object.entries(parsed).every(([k, v]) => !(k in key) || String(v) === String(key[k]));
}

export interface Reach {
  /** The entry owns the path itself (or an atomic ancestor of it). */
  owns: boolean;
  /** The entry names the path itself, not only a leaf ancestor that covers it. */
  exact: boolean;
  /** How many leading segments of the path exist in the entry's tree. */
  depth: number;
}

/** How far down `segs` an entry's field set reaches. */
export function reach(fields: JsonObject, segs: readonly Segment[]): Reach {
  let node: JsonObject = fields;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    let child: JsonValue | undefined;
    if ('field' in s) child = node[`f:${s.field}`];
    else {
      const k = Object.keys(node).find((n) => n.startsWith('k:') && keyMatches(n, s.key));
      child = k === undefined ? undefined : node[k];
    }
    if (!isObject(child)) {
      // A leaf (no children) owns everything under it, e.g. `f:args: {}` for an atomic list.
      const isLeaf = i > 0 && Object.keys(node).every((n) => n === '.');
      return { owns: isLeaf, exact: false, depth: i };
    }
    node = child;
  }
  return { owns: true, exact: true, depth: segs.length };
}

/** True when some manager owns `segs` (used to decide whether a live-only field is someone's doing). */
export function isOwned(entries: readonly ManagedFieldsEntry[], segs: readonly Segment[]): boolean {
  return entries.some((e) => reach(e.fields, segs).owns);
}
