// What a revert's server-side apply sends for an object that exists: its identity and the drifted
// fields at their desired values, nothing else. An apply owns exactly what it sends, so the revert
// takes over the drifted fields and leaves every other field and its manager alone (sending the
// whole desired object would make the reverter co-own, or conflict on, fields that never drifted).
// A later revert must send again what an earlier one owns, or the server would drop those fields:
// keptFields reads them from the live object's managedFields.
import type { JsonObject, JsonValue, KubeObject } from '../types.ts';
import { canonicalForApply } from './canonical.ts';
import { clone, deepEqual, isObject } from './json.ts';
import { parseManagedFields } from './managed-fields.ts';
import { keyedItems, type Segment } from './path.ts';

/**
 * Lists server-side apply merges item by item (x-kubernetes-list-type: map) and their keys; any
 * other list is sent whole (an atomic list is owned as one value).
 */
function mapListKeys(field: string, item: JsonObject): readonly string[] | null {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
      return ['name'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'ports':
      return item['containerPort'] !== undefined ? ['containerPort', 'protocol'] : ['port', 'protocol'];
    default:
      return null;
  }
}

function sameItem(field: string, a: JsonObject, b: JsonObject): boolean {
  const keys = mapListKeys(field, a);
  if (!keys) return false;
  return keys.every((k) =>
    deepEqual(a[k] ?? (k === 'protocol' ? 'TCP' : undefined), b[k] ?? (k === 'protocol' ? 'TCP' : undefined)),
  );
}

/** Copies the value at `segs` from `src` into `dst`, creating parents; false when `src` has none. */
function copyPath(
  src: JsonObject,
  dst: JsonObject,
  segs: readonly Segment[],
  at: readonly Segment[],
  kind: string,
): boolean {
  const [s, ...rest] = segs;
  if (!s || !('field' in s)) return false;
  const v = src[s.field];
  if (v === undefined) return false;
  const here = [...at, s];
  const next = rest[0];
  if (rest.length === 0 || !(isObject(v) || Array.isArray(v))) {
    dst[s.field] = clone(v);
    return true;
  }
  if (isObject(v)) {
    const child = isObject(dst[s.field]) ? (dst[s.field] as JsonObject) : {};
    if (!copyPath(v, child, rest, here, kind)) return false;
    dst[s.field] = child;
    return true;
  }
  // A list: one item of a map list, else the whole list.
  const item =
    next && 'key' in next
      ? keyedItems(v, here, kind)?.find((it) => it.id === JSON.stringify(next.key))?.value
      : undefined;
  if (!item) return false;
  const keys = mapListKeys(s.field, item);
  if (!keys) {
    dst[s.field] = clone(v);
    return true;
  }
  const list = Array.isArray(dst[s.field]) ? (dst[s.field] as JsonValue[]) : [];
  let target = list.find((x): x is JsonObject => isObject(x) && sameItem(s.field, x, item));
  if (!target) {
    target = Object.fromEntries(
      keys.filter((k) => item[k] !== undefined).map((k) => [k, clone(item[k] as JsonValue)]),
    );
    list.push(target);
  }
  dst[s.field] = list;
  const inner = rest.slice(1);
  if (inner.length === 0) Object.assign(target, clone(item));
  else if (!copyPath(item, target, inner, [...here, next as Segment], kind)) return false;
  return true;
}

export interface DriftFieldRef {
  segs: readonly Segment[];
}

/**
 * The object's identity plus each drifted field at its value in `desired` (the manifest as
 * declared), or in `fallback` (the normalised desired object, which spells a field the way it was
 * compared, e.g. `serviceAccountName` for a manifest's `serviceAccount`), in the server's spelling.
 */
export function driftOnlyApply(
  desired: KubeObject,
  fallback: KubeObject | null,
  fields: readonly DriftFieldRef[],
  kind: string,
): JsonObject {
  const meta: JsonObject = { name: desired.metadata['name'] ?? '' };
  if (desired.metadata['namespace'] !== undefined) meta['namespace'] = desired.metadata['namespace'];
  const out: JsonObject = { apiVersion: desired.apiVersion, kind: desired.kind, metadata: meta };
  for (const f of fields) {
    if (copyPath(desired as JsonObject, out, f.segs, [], kind)) continue;
    if (fallback) copyPath(fallback as JsonObject, out, f.segs, [], kind);
  }
  return canonicalForApply(out, kind);
}

/** The part of `value` a FieldsV1 tree names: what that manager owns, at the live values. */
function project(fields: JsonObject, value: JsonValue): JsonValue | undefined {
  const keys = Object.keys(fields).filter((k) => k !== '.');
  if (keys.length === 0) return clone(value);
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const k of keys) {
      if (k.startsWith('k:')) {
        const key = JSON.parse(k.slice(2)) as JsonObject;
        const item = value.find(
          (it) => isObject(it) && Object.entries(key).every(([f, v]) => deepEqual(it[f], v)),
        );
        const sub = fields[k];
        if (!isObject(item) || !isObject(sub)) continue;
        const p = project(sub, item);
        out.push({ ...(isObject(p) ? p : {}), ...key });
      } else if (k.startsWith('v:')) {
        const v = JSON.parse(k.slice(2)) as JsonValue;
        if (value.some((x) => deepEqual(x, v))) out.push(v);
      }
    }
    return out;
  }
  if (!isObject(value)) return clone(value);
  const out: JsonObject = {};
  for (const k of keys) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    const sub = fields[k];
    if (value[name] === undefined || !isObject(sub)) continue;
    const p = project(sub, value[name]);
    if (p !== undefined) out[name] = p;
  }
  return out;
}

/** What `manager` owns in `live` through its own applies, at the live values ({} when nothing). */
export function keptFields(live: KubeObject, manager: string): JsonObject {
  const entry = parseManagedFields(live).find(
    (e) => e.manager === manager && e.operation === 'Apply' && e.subresource === null,
  );
  if (!entry) return {};
  const p = project(entry.fields, live as JsonObject);
  return isObject(p) ? p : {};
}

/** `over` merged onto `base`: maps by key, map-list items by their list keys, anything else replaced. */
export function mergeApply(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = clone(base);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (isObject(v) && isObject(b)) out[k] = mergeApply(b, v);
    else if (Array.isArray(v) && Array.isArray(b) && v.every(isObject) && v.some((x) => mapListKeys(k, x))) {
      const list = b.map((x) => clone(x));
      for (const item of v) {
        const at = list.findIndex((x) => isObject(x) && sameItem(k, x, item));
        if (at < 0) list.push(clone(item));
        else list[at] = mergeApply(list[at] as JsonObject, item);
      }
      out[k] = list;
    } else out[k] = clone(v);
  }
  return out;
}

/**
 * Whether a server-side apply conflict's field (`.spec.template.spec.containers[name="web"].image`,
 * as the API server names it) lies inside `apply`: the fields a revert sends are the drifted ones.
 */
export function conflictInside(path: string, apply: JsonValue): boolean {
  let rest = path;
  let cur: JsonValue | undefined = apply;
  while (rest !== '') {
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0 || !Array.isArray(cur)) return false;
      const pairs = rest
        .slice(1, end)
        .split(',')
        .map((p) => p.split('='))
        .map(([k = '', v = '']) => [k, v.replace(/^"(.*)"$/, '$1')] as const);
      cur = cur.find(
        (it) =>
          isObject(it) && pairs.every(([k, v]) => String(it[k] ?? (k === 'protocol' ? 'TCP' : '')) === v),
      );
      rest = rest.slice(end + 1);
      continue;
    }
    if (!rest.startsWith('.') || !isObject(cur)) return false;
    // Map keys may hold dots (labels): the longest key of the object that matches wins.
    const obj: JsonObject = cur;
    const name = Object.keys(obj)
      .filter((k) => rest.startsWith(`.${k}`) && /^($|[.[])/.test(rest.slice(k.length + 1)))
      .sort((a, b) => b.length - a.length)[0];
    if (name === undefined) return false;
    cur = obj[name];
    rest = rest.slice(name.length + 1);
  }
  return cur !== undefined;
}
