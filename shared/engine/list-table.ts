// A built-in kind's list table from the API server's own OpenAPI v3 document: every list under the
// kind's schema that declares how it merges (`x-kubernetes-list-type`, `-list-map-keys`,
// `-patch-merge-key`), by path pattern. The adapters fetch the documents (shared/node/kube/
// openapi-lists.ts) and pass the tables in as EngineOptions.listTables; this part is pure.
// metadata and status are left out: the engine compares neither by these lists.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject, obj } from './json.ts';
import { declaredListType, type ListTable, type ListType } from './list-types.ts';

/** Tables by `apiVersion/kind` (`apps/v1/Deployment`, `v1/Service`). */
export type ListTables = ReadonlyMap<string, ListTable>;

export function listTableKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

const REF_PREFIX = '#/components/schemas/';
/** Past this depth a schema is recursive in a way no built-in list needs (JSONSchemaProps). */
const MAX_DEPTH = 24;

/** The target name of a node's `$ref` (also through the single-`allOf` wrapping v3 uses for defaults). */
function refOf(node: JsonObject): string | undefined {
  let ref: JsonValue | undefined = node['$ref'];
  const all = node['allOf'];
  if (ref === undefined && Array.isArray(all) && all.length === 1 && isObject(all[0])) ref = all[0]['$ref'];
  return typeof ref === 'string' && ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/** The GVKs a components.schemas entry declares it is (`x-kubernetes-group-version-kind`). */
export function schemaKinds(schema: JsonObject): { group: string; version: string; kind: string }[] {
  const gvks = schema['x-kubernetes-group-version-kind'];
  if (!Array.isArray(gvks)) return [];
  return gvks.flatMap((g) =>
    isObject(g) && typeof g['version'] === 'string' && typeof g['kind'] === 'string'
      ? [{ group: typeof g['group'] === 'string' ? g['group'] : '', version: g['version'], kind: g['kind'] }]
      : [],
  );
}

/** The table of one kind's schema (`name` in `schemas`, a document's components.schemas). */
export function deriveListTable(schemas: JsonObject, name: string): ListTable {
  const out: Record<string, ListType> = {};
  const onPath = new Set<string>();
  const visit = (node: JsonObject, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const ref = refOf(node);
    if (ref !== undefined) {
      const target = obj(schemas, ref);
      if (!target || onPath.has(ref)) return;
      onPath.add(ref);
      // A $ref's siblings (a list type on the referring field) count too: visit both.
      visit(target, path, depth + 1);
      onPath.delete(ref);
    }
    if (node['type'] === 'array') {
      const declared = declaredListType(node);
      if (declared) out[path] = declared;
      const items = obj(node, 'items');
      if (items) visit(items, `${path}[]`, depth + 1);
      return;
    }
    const props = obj(node, 'properties');
    for (const [k, v] of Object.entries(props ?? {})) {
      if (depth === 0 && (k === 'metadata' || k === 'status')) continue;
      if (isObject(v)) visit(v, path === '' ? k : `${path}.${k}`, depth + 1);
    }
  };
  const root = obj(schemas, name);
  if (root) visit(root, '', 0);
  return out;
}
