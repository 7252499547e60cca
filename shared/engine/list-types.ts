// Which lists compare by key and which in order, from the schema the API server itself uses
// (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-patch-merge-key`), not
// from field names alone. A custom resource's CRD schema is that schema (the adapters list the CRDs:
// EngineOptions.crdSchemas); a list it declares `atomic` (the default for a structural schema)
// keeps its order, so a reordered list of named items is a change, while a `map` list is matched by
// its declared keys. A built-in kind gets a table of its list paths derived from the served
// /openapi/v3 (EngineOptions.listTables, list-table.ts); without one, path.ts's fallback table by
// field name applies. Pure.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject, obj } from './json.ts';

export interface ListType {
  type: 'atomic' | 'set' | 'map';
  /** For `map`: the fields that identify an item. */
  keys: string[];
}

/** A built-in kind's lists by path pattern (`spec.template.spec.containers[].env`); see list-table.ts. */
export type ListTable = Readonly<Record<string, ListType>>;

/**
 * A kind and, for a custom resource, the schema of its served version; for a built-in kind, the
 * table derived from the served OpenAPI when the adapters could read it (neither: the fallback table).
 */
export interface KindLists {
  kind: string;
  schema: JsonObject | undefined;
  table?: ListTable | undefined;
}

/** What list functions are told about the object they walk: its kind, or its kind and schema. */
export type ListScope = string | KindLists;

export function kindOf(scope: ListScope): string {
  return typeof scope === 'string' ? scope : scope.kind;
}

/** True when the scope carries a custom resource's own schema (the engine's overrides do not apply). */
export function hasCrdSchema(scope: ListScope): boolean {
  return typeof scope !== 'string' && scope.schema !== undefined;
}

type PathStep = { field: string } | { key: unknown };

/** The table key of a path: fields joined by dots, each list item as `[]`. */
export function listPattern(segs: readonly PathStep[]): string {
  let out = '';
  for (const s of segs) out += 'field' in s ? (out === '' ? s.field : `.${s.field}`) : '[]';
  return out;
}

/** The schema node at `segs` (fields through properties or additionalProperties, list items through items). */
function schemaAt(root: JsonObject, segs: readonly PathStep[]): JsonObject | undefined {
  let s: JsonObject | undefined = root;
  for (const seg of segs) {
    if (!s) return undefined;
    if ('field' in seg) {
      const props = obj(s, 'properties');
      const p: JsonValue | undefined = props?.[seg.field];
      s = isObject(p) ? p : obj(s, 'additionalProperties');
    } else s = obj(s, 'items');
  }
  return s;
}

/** The list type an array schema node declares (its list type, else its patch merge key). */
export function declaredListType(s: JsonObject): ListType | undefined {
  const t = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (t === 'map' && Array.isArray(keys) && keys.every((k) => typeof k === 'string'))
    return { type: 'map', keys: keys as string[] };
  if (t === 'set' || t === 'atomic') return { type: t, keys: [] };
  const merge = s['x-kubernetes-patch-merge-key'];
  if (typeof merge === 'string') return { type: 'map', keys: [merge] };
  return undefined;
}

/**
 * The list type the scope's schema or table declares at `segs` (the list's own field), or undefined
 * when it has neither or they do not reach there (x-kubernetes-preserve-unknown-fields, a list the
 * served schema leaves unmarked).
 */
export function listTypeAt(scope: ListScope, segs: readonly PathStep[]): ListType | undefined {
  if (typeof scope === 'string') return undefined;
  if (scope.schema) {
    const s = schemaAt(scope.schema, segs);
    if (!s || s['type'] !== 'array') return undefined;
    // A structural schema's unmarked list is atomic.
    return declaredListType(s) ?? { type: 'atomic', keys: [] };
  }
  return scope.table?.[listPattern(segs)];
}
