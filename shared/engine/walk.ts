// Walks a normalised desired/live pair in step and reports each place where they differ: the shared
// core of the diff (what changed) and of the ownership normaliser (which live-only fields count).
import type { JsonValue } from '../types.ts';
import { deepEqual, isObject } from './json.ts';
import { isOrderedList, keyedItems, type KeyedItem, type ListScope, type Segment } from './path.ts';

/**
 * Maps keyed by user data rather than by schema fields. Their entries are reported one by one even
 * when the whole map is missing on one side, so a `kubectl label` on an object without labels reads
 * `metadata.labels.team`, not `metadata.labels`; and the server keeps their `""` values as written.
 */
export const USER_MAPS: ReadonlySet<string> = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'matchLabels',
  'nodeSelector',
  'selector',
  'requests',
  'limits',
]);

export type Visit = (segs: Segment[], desired: JsonValue | undefined, live: JsonValue | undefined) => void;

export function walkPairs(
  d: JsonValue | undefined,
  l: JsonValue | undefined,
  segs: Segment[],
  kind: ListScope,
  visit: Visit,
): void {
  walk(d, l, [...segs], kind, visit);
}

/**
 * walkPairs on one path stack, pushed and popped on the way down and up (a new array per field was
 * most of the walk's cost); a visit gets its own copy, as callers keep it.
 */
function walk(
  d: JsonValue | undefined,
  l: JsonValue | undefined,
  segs: Segment[],
  kind: ListScope,
  visit: Visit,
): void {
  if (d === undefined && l === undefined) return;
  const last = segs[segs.length - 1];
  const lastField = last && 'field' in last ? last.field : '';
  const entrywise = USER_MAPS.has(lastField);

  if (
    (isObject(d) && isObject(l)) ||
    (entrywise && (isObject(d) || isObject(l)) && (d === undefined || l === undefined))
  ) {
    const dob = isObject(d) ? d : {};
    const lob = isObject(l) ? l : {};
    for (const k of Object.keys(dob)) {
      const dv = dob[k];
      const lv = lob[k];
      // The same scalar on both sides (most fields): nothing below to report.
      if (dv === lv && (typeof dv !== 'object' || dv === null)) continue;
      segs.push({ field: k });
      walk(dv, lv, segs, kind, visit);
      segs.pop();
    }
    for (const k of Object.keys(lob)) {
      if (Object.hasOwn(dob, k)) continue;
      segs.push({ field: k });
      walk(undefined, lob[k], segs, kind, visit);
      segs.pop();
    }
    return;
  }

  if (Array.isArray(d) || Array.isArray(l)) {
    const dl = Array.isArray(d) ? d : d === undefined ? [] : null;
    const ll = Array.isArray(l) ? l : l === undefined ? [] : null;
    const dk = dl && (dl.length === 0 ? [] : keyedItems(dl, segs, kind));
    const lk = ll && (ll.length === 0 ? [] : keyedItems(ll, segs, kind));
    if (dk && lk && dk.length + lk.length > 0) {
      const liveById = new Map(lk.map((it) => [it.id, it]));
      const seen = new Set<string>();
      for (const it of dk) {
        seen.add(it.id);
        segs.push(it.seg);
        walk(it.value, liveById.get(it.id)?.value, segs, kind, visit);
        segs.pop();
      }
      for (const it of lk)
        if (!seen.has(it.id)) {
          segs.push(it.seg);
          walk(undefined, it.value, segs, kind, visit);
          segs.pop();
        }
      // Same items in another order: the whole list is the change (its items may also differ).
      if (dl && ll && isOrderedList(segs, kind) && reordered(dk, lk)) visit([...segs], dl, ll);
      return;
    }
  }

  if (!deepEqual(d, l)) visit([...segs], d, l);
}

/** Do the items both sides have come in a different order? */
function reordered(d: readonly KeyedItem[], l: readonly KeyedItem[]): boolean {
  const inLive = new Set(l.map((it) => it.id));
  const inDesired = new Set(d.map((it) => it.id));
  const a = d.filter((it) => inLive.has(it.id));
  const b = l.filter((it) => inDesired.has(it.id));
  return a.some((it, i) => it.id !== b[i]?.id);
}
