// Which lists compare by key and which in order, from the schema the API server itself uses
// (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`), not from field names alone. A custom
// resource's CRD schema is that schema (the adapters list the CRDs: EngineOptions.crdSchemas); a
// list it declares `atomic` (the default for a structural schema) keeps its order, so a reordered
// list of named items is a change, while a `map` list is matched by its declared keys. Built-in
// kinds keep the table in path.ts, which follows the same types' list markers. Pure.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject, obj } from './json.ts';

/** A kind and, for a custom resource, the schema of its served version (undefined: use the table). */
export interface KindLists {
  kind: string;
  schema: JsonObject | undefined;
}

/** What list functions are told about the object they walk: its kind, or its kind and schema. */
export type ListScope = string | KindLists;

export function kindOf(scope: ListScope): string {
  return typeof scope === 'string' ? scope : scope.kind;
}

export interface ListType {
  type: 'atomic' | 'set' | 'map';
  /** For `map`: the fields that identify an item. */
  keys: string[];
}

type PathStep = { field: string } | { key: unknown };

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

/**
 * The list type the schema declares at `segs` (the list's own field), or undefined when the scope
 * carries no schema or the schema does not reach there (x-kubernetes-preserve-unknown-fields).
 */
export function listTypeAt(scope: ListScope, segs: readonly PathStep[]): ListType | undefined {
  if (typeof scope === 'string' || !scope.schema) return undefined;
  const s = schemaAt(scope.schema, segs);
  if (!s || s['type'] !== 'array') return undefined;
  const t = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (t === 'map' && Array.isArray(keys) && keys.every((k) => typeof k === 'string'))
    return { type: 'map', keys: keys as string[] };
  return { type: t === 'set' ? 'set' : 'atomic', keys: [] };
}
