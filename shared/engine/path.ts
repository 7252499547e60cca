// Field paths and list merge keys. A path is a list of segments; its text form is what users see in
// drift details and write in ignore rules:
//   spec.template.spec.containers[name=web].image
//   spec.ports[port=80].nodePort                  (protocol shown only when it is not TCP)
//   metadata.labels["app.kubernetes.io/name"]     (keys with characters outside [A-Za-z0-9_-/] are quoted)
// Lists with a merge key (like Kubernetes strategic merge patch) are compared item by item by key,
// so reordering them is not drift; other lists are compared as a whole.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject } from './json.ts';
import { kindOf, listTypeAt, type ListScope } from './list-types.ts';

export type { ListScope } from './list-types.ts';

export type KeyValue = string | number;
export type Segment = { field: string } | KeySegment;

const PLAIN = /^[A-Za-z0-9_\-/]+$/;

export function formatPath(segs: readonly Segment[]): string {
  let out = '';
  for (const s of segs) {
    if ('field' in s) {
      if (PLAIN.test(s.field)) out += out === '' ? s.field : `.${s.field}`;
      else out += `[${JSON.stringify(s.field)}]`;
    } else out += `[${s.label}]`;
  }
  return out;
}

/** Dotted rendering without quoting (`metadata.annotations.example.com/x`), accepted in rule prefixes too. */
export function formatPathLoose(segs: readonly Segment[]): string {
  return segs.map((s, i) => ('field' in s ? (i === 0 ? s.field : `.${s.field}`) : `[${s.label}]`)).join('');
}

/** Whether a rendered path is `prefix` or under it (segment-aligned: `spec.replicas` is not under `spec.rep`). */
export function prefixMatch(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** True when `prefix` names `segs` or one of its ancestors (segment-aligned, either rendering). */
export function pathHasPrefix(segs: readonly Segment[], prefix: string): boolean {
  return prefixMatch(formatPath(segs), prefix) || prefixMatch(formatPathLoose(segs), prefix);
}

type KeyFn = (item: JsonObject) => { key: Record<string, KeyValue>; label: string } | null;

function fieldsKey(fields: string[], defaults: Record<string, KeyValue> = {}): KeyFn {
  return (item) => {
    const key: Record<string, KeyValue> = {};
    const parts: string[] = [];
    for (const f of fields) {
      let v = item[f];
      if (v === undefined || v === null) v = defaults[f];
      if (typeof v === 'string' && /^\d+$/.test(v) && f !== 'name' && f !== 'mountPath') v = Number(v);
      if (typeof v !== 'string' && typeof v !== 'number') return null;
      key[f] = v;
      if (defaults[f] !== v) parts.push(`${f}=${v}`);
    }
    return { key, label: parts.join(',') };
  };
}

const byName = fieldsKey(['name']);
const envFromKey: KeyFn = (item) => {
  for (const ref of ['configMapRef', 'secretRef']) {
    const r = item[ref];
    if (isObject(r) && typeof r['name'] === 'string') {
      const prefix = typeof item['prefix'] === 'string' ? `,prefix=${item['prefix']}` : '';
      return { key: { [ref]: r['name'] }, label: `${ref}=${r['name']}${prefix}` };
    }
  }
  return null;
};

/**
 * The key for a list at `segs` (whose last segment is the list's field name): from the schema when
 * the scope has one (a `map` list's declared keys; an atomic or set list of named items by name,
 * compared in order, see isOrderedList), else from the built-in table; null if compared whole.
 */
function keyFnFor(segs: readonly Segment[], scope: ListScope): KeyFn | null {
  const declared = listTypeAt(scope, segs);
  if (declared) return declared.type === 'map' ? fieldsKey(declared.keys) : null;
  return tableKeyFn(segs, kindOf(scope));
}

/** The built-in kinds' merge keys (their types' patchMergeKey / listMapKeys). */
function tableKeyFn(segs: readonly Segment[], kind: string): KeyFn | null {
  const last = segs[segs.length - 1];
  if (!last || !('field' in last)) return null;
  switch (last.field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'volumeClaimTemplates':
      return byName;
    case 'volumeMounts':
      return fieldsKey(['mountPath']);
    case 'volumeDevices':
      return fieldsKey(['devicePath']);
    case 'hostAliases':
      return fieldsKey(['ip']);
    case 'envFrom':
      return envFromKey;
    case 'ports':
      // Service ports are keyed by port+protocol (the API's listMapKeys); container ports by containerPort+protocol.
      if (kind === 'Service' && segs.length === 2)
        return fieldsKey(['port', 'protocol'], { protocol: 'TCP' });
      return fieldsKey(['containerPort', 'protocol'], { protocol: 'TCP' });
    default:
      return null;
  }
}

/**
 * Keyed lists whose order has meaning: `env` (a `$(VAR)` sees only the variables before it) and
 * `initContainers` (they run one after another). Items are still matched by name, so an edit reads
 * `env[name=A].value`, but a reordering is drift too.
 */
const ORDERED_FIELDS: ReadonlySet<string> = new Set(['env', 'initContainers']);

export function isOrderedList(segs: readonly Segment[], scope: ListScope = ''): boolean {
  const declared = listTypeAt(scope, segs);
  if (declared) return declared.type !== 'map';
  const last = segs[segs.length - 1];
  return last !== undefined && 'field' in last && ORDERED_FIELDS.has(last.field);
}

export type KeySegment = { key: Record<string, KeyValue>; label: string };
export interface KeyedItem {
  seg: KeySegment;
  id: string;
  value: JsonObject;
}

/**
 * Items of a list keyed by its merge key, or null when the list is compared whole (no merge key, an
 * item without the key, or duplicate keys). Unknown lists whose items all have a unique `name` are keyed by name.
 */
export function keyedItems(
  list: readonly JsonValue[],
  segs: readonly Segment[],
  kind: ListScope,
): KeyedItem[] | null {
  if (list.length === 0 || !list.every(isObject)) return null;
  const items = list as JsonObject[];
  // No key (an atomic or set list too): items are matched by name when every item has one.
  let fn = keyFnFor(segs, kind);
  if (!fn && items.every((it) => typeof it['name'] === 'string')) fn = byName;
  if (!fn) return null;
  const out: KeyedItem[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    const k = fn(it);
    if (!k) return null;
    const id = JSON.stringify(k.key);
    if (seen.has(id)) return null;
    seen.add(id);
    out.push({ seg: k, id, value: it });
  }
  return out;
}

/** Value at `segs` in `root` (keyed segments resolved by merge key), or undefined. */
export function getAt(
  root: JsonValue | undefined,
  segs: readonly Segment[],
  kind: ListScope,
): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    if ('field' in s) {
      if (!isObject(cur)) return undefined;
      cur = cur[s.field];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const items = keyedItems(cur, segs.slice(0, i), kind);
      const id = JSON.stringify(s.key);
      cur = items?.find((it) => it.id === id)?.value;
    }
  }
  return cur;
}

/**
 * Set (or delete, when value is undefined) the value at `segs`, creating parent maps as needed.
 * Returns false when a parent list item cannot be found.
 */
export function setAt(
  root: JsonObject,
  segs: readonly Segment[],
  kind: ListScope,
  value: JsonValue | undefined,
): boolean {
  let cur: JsonValue = root;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    const lastSeg = i === segs.length - 1;
    if ('field' in s) {
      if (!isObject(cur)) return false;
      if (lastSeg) {
        if (value === undefined) delete cur[s.field];
        else cur[s.field] = value;
        return true;
      }
      if (cur[s.field] === undefined) {
        if (value === undefined) return true;
        cur[s.field] = segs[i + 1] && 'key' in (segs[i + 1] as Segment) ? [] : {};
      }
      cur = cur[s.field] as JsonValue;
    } else {
      if (!Array.isArray(cur)) return false;
      const list: JsonValue[] = cur;
      const items = list.length === 0 ? [] : keyedItems(list, segs.slice(0, i), kind);
      if (!items) return false;
      const id = JSON.stringify(s.key);
      const idx = items.findIndex((it) => it.id === id);
      if (lastSeg) {
        if (idx >= 0) {
          if (value === undefined) list.splice(idx, 1);
          else list[idx] = value;
        } else if (value !== undefined) list.push(value);
        return true;
      }
      if (idx < 0) return value === undefined;
      cur = list[idx] as JsonValue;
    }
  }
  return false;
}
