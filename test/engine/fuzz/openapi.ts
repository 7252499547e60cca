// What the server's own OpenAPI v3 says a struct may hold: the optional fields whose values a
// generator can pick without knowing their meaning (enums and booleans), per schema name.
import type { JsonObject } from '../../../shared/types.ts';

export interface Pickable {
  field: string;
  values: (string | boolean)[];
}

export type SchemaIndex = Map<string, Pickable[]>;

/** Reads `/openapi/v3/<group-version>` documents through `get` (e.g. `kubectl get --raw`). */
export async function loadSchemas(
  get: (path: string) => Promise<string>,
  groupVersions: string[],
): Promise<SchemaIndex> {
  const out: SchemaIndex = new Map();
  for (const gv of groupVersions) {
    const doc = JSON.parse(await get(`/openapi/v3/${gv}`)) as {
      components?: { schemas?: Record<string, JsonObject> };
    };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const props = (schema['properties'] ?? {}) as Record<string, JsonObject>;
      const required = new Set((schema['required'] as string[] | undefined) ?? []);
      const picks: Pickable[] = [];
      for (const [field, p] of Object.entries(props)) {
        if (required.has(field)) continue;
        if (Array.isArray(p['enum']) && p['type'] === 'string')
          picks.push({ field, values: p['enum'] as string[] });
        else if (p['type'] === 'boolean') picks.push({ field, values: [true, false] });
      }
      out.set(name, picks);
    }
  }
  return out;
}
