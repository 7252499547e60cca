// Field paths and list merge keys. A path is a list of segments; its text form is what users see in
// drift details and write in ignore rules:
//   spec.template.spec.containers[name=web].image
//   spec.ports[port=80].nodePort                  (protocol shown only when it is not TCP)
//   metadata.labels["app.kubernetes.io/name"]     (keys with characters outside [A-Za-z0-9_-/] are quoted)
// Lists with a merge key (like Kubernetes strategic merge patch) are compared item by item by key,
// so reordering them is not drift; other lists are compared as a whole.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject } from './json.ts';
import { hasCrdSchema, kindOf, listTypeAt, type ListScope, type ListType } from './list-types.ts';

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

/** Keys the server defaults, so Git may leave them out: a port's protocol is TCP. */
const KEY_DEFAULTS: Readonly<Record<string, KeyValue>> = { protocol: 'TCP' };

function mapKey(keys: readonly string[]): KeyFn {
  const defaults: Record<string, KeyValue> = {};
  for (const k of keys) if (KEY_DEFAULTS[k] !== undefined) defaults[k] = KEY_DEFAULTS[k];
  return fieldsKey([...keys], defaults);
}

const map = (...keys: string[]): ListType => ({ type: 'map', keys });
const ATOMIC: ListType = { type: 'atomic', keys: [] };

/**
 * The built-in kinds' lists by field name, for when the served OpenAPI could not be read (their
 * types' list markers; test/engine/list-table-oracle.test.ts proves it equals what the real API
 * server serves, apart from LIST_OVERRIDES).
 */
export const FALLBACK_LISTS: Readonly<Record<string, ListType>> = {
  containers: map('name'),
  initContainers: map('name'),
  ephemeralContainers: map('name'),
  env: map('name'),
  volumes: map('name'),
  imagePullSecrets: map('name'),
  volumeClaimTemplates: ATOMIC,
  envFrom: ATOMIC,
  volumeMounts: map('mountPath'),
  volumeDevices: map('devicePath'),
  hostAliases: map('ip'),
  ports: map('containerPort', 'protocol'),
};

/** The fallback's type at `segs`: Service ports are keyed by port+protocol, container ports by containerPort+protocol. */
export function fallbackListType(segs: readonly Segment[], kind: string): ListType | undefined {
  const last = segs[segs.length - 1];
  if (!last || !('field' in last)) return undefined;
  if (last.field === 'ports' && kind === 'Service' && segs.length === 2) return map('port', 'protocol');
  return Object.hasOwn(FALLBACK_LISTS, last.field) ? FALLBACK_LISTS[last.field] : undefined;
}

/**
 * Where the engine compares a built-in list differently from the schema, on purpose (by field name;
 * a custom resource's own schema is always followed):
 * - `env` is a map by `name` in the schema, but a `$(VAR)` sees only the variables before it, so a
 *   reordering is drift (items are still matched by name, so an edit reads `env[name=A].value`);
 * - `initContainers` likewise: they run one after another;
 * - `envFrom` is atomic, but it is keyed by the source it names so an edit reads
 *   `envFrom[configMapRef=x]`; a later source wins a clash, so its order counts too.
 */
export const LIST_OVERRIDES: Readonly<Record<string, { ordered: boolean; key?: KeyFn }>> = {
  env: { ordered: true },
  initContainers: { ordered: true },
  envFrom: { ordered: true, key: envFromKey },
};

/** What a custom resource's own schema declares at `segs` (always followed, overrides included). */
function crdDeclared(segs: readonly Segment[], scope: ListScope): ListType | undefined {
  return hasCrdSchema(scope) ? listTypeAt(scope, segs) : undefined;
}

function overrideAt(
  segs: readonly Segment[],
  scope: ListScope,
): { ordered: boolean; key?: KeyFn } | undefined {
  const last = segs[segs.length - 1];
  if (!last || !('field' in last) || crdDeclared(segs, scope)) return undefined;
  return Object.hasOwn(LIST_OVERRIDES, last.field) ? LIST_OVERRIDES[last.field] : undefined;
}

/**
 * The type at `segs`: the CRD schema's, else the served table's when the scope has one (a list it
 * leaves unmarked: undefined), else the fallback's (also where a CRD schema does not reach).
 */
function declaredAt(segs: readonly Segment[], scope: ListScope): ListType | undefined {
  const crd = crdDeclared(segs, scope);
  if (crd) return crd;
  if (typeof scope !== 'string' && !scope.schema && scope.table) return listTypeAt(scope, segs);
  return fallbackListType(segs, kindOf(scope));
}

/**
 * The key for a list at `segs` (whose last segment is the list's field name): a `map` list's
 * declared keys; null for an atomic or set list, or one nothing declares (compared whole, or by
 * name when every item has one, see keyedItems).
 */
function keyFnFor(segs: readonly Segment[], scope: ListScope): KeyFn | null {
  const override = overrideAt(segs, scope);
  if (override?.key) return override.key;
  const declared = declaredAt(segs, scope);
  if (declared?.type !== 'map') return null;
  return crdDeclared(segs, scope) ? fieldsKey(declared.keys) : mapKey(declared.keys);
}

/** Whether a reordering of the list's (keyed) items is drift: atomic and set lists, and the overrides. */
export function isOrderedList(segs: readonly Segment[], scope: ListScope = ''): boolean {
  const override = overrideAt(segs, scope);
  if (override) return override.ordered;
  const declared = declaredAt(segs, scope);
  return declared !== undefined && declared.type !== 'map';
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
