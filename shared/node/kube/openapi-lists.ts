// Built-in kinds' list tables from the served OpenAPI (EngineOptions.listTables): GET /openapi/v3
// (the index), then, concurrently, only the group-version documents of the kinds compared. A
// document is cached by the index's URL for it, which carries its hash, so an unchanged one is
// never fetched again; only the derived tables are kept, not the (megabyte) document. A group
// whose document cannot be read (404, 503, a timeout, forbidden) keeps the engine's fallback table
// and is named in `problems`: the analysis goes on.
import type { KubeConfig } from '@kubernetes/client-node';
import { deriveListTable, listTableKey, schemaKinds, type ListTable } from '../../engine/index.ts';
import { isObject } from '../../engine/json.ts';
import type { JsonObject } from '../../types.ts';
import { errorMessage } from '../../errors.ts';
import { kubeGetOk } from './rest.ts';

export interface ListTablesRead {
  tables: Map<string, ListTable>;
  /** One line per group-version that keeps the fallback table, saying why. */
  problems: string[];
  requests: number;
  /** Bytes of the documents fetched (their JSON as received, re-serialised). */
  bytes: number;
}

/**
 * Tables kept beyond this process (the plugin's, in the user's cache dir), by the same key and
 * URL: a URL carries its document's hash, so a kept entry stands for exactly that document.
 */
export interface KeptListTables {
  get(key: string, url: string): Map<string, ListTable> | undefined;
  set(key: string, url: string, tables: Map<string, ListTable>): void;
}

/** Documents are small in number and their URLs change with their content: no eviction needed beyond the URL. */
const cache = new Map<string, { url: string; tables: Map<string, ListTable> }>();

const TIMEOUT_MS = 15_000;

/** `api/v1` for `v1`, `apis/apps/v1` for `apps/v1`: the index's key of a group-version. */
function indexPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
}

/** Every kind the document defines in `apiVersion`, with its table. */
function tablesOf(doc: unknown, apiVersion: string): Map<string, ListTable> {
  const out = new Map<string, ListTable>();
  const components = isObject(doc) ? doc['components'] : undefined;
  const schemas = isObject(components) ? components['schemas'] : undefined;
  if (!isObject(schemas)) return out;
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) continue;
    for (const g of schemaKinds(schema)) {
      const av = g.group === '' ? g.version : `${g.group}/${g.version}`;
      if (av === apiVersion && !out.has(g.kind))
        out.set(g.kind, deriveListTable(schemas as JsonObject, name));
    }
  }
  return out;
}

/**
 * The group-versions of these that are the API server's own (core, unqualified groups, *.k8s.io):
 * the ones worth a document before the CRDs are known (a CRD's schema wins over a table anyway).
 */
export function builtinApiVersions(apiVersions: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const av of apiVersions) {
    const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
    if (!group.includes('.') || group.endsWith('.k8s.io')) out.add(av);
  }
  return [...out];
}

/**
 * The tables of the kinds of `apiVersions` (built-in group-versions in play; custom resources have
 * their CRD schema). Never throws.
 */
export async function readListTables(
  kc: KubeConfig,
  apiVersions: Iterable<string>,
  kept?: KeptListTables,
): Promise<ListTablesRead> {
  const out: ListTablesRead = { tables: new Map(), problems: [], requests: 0, bytes: 0 };
  const wanted = [...new Set(apiVersions)].sort();
  if (wanted.length === 0) return out;
  const server = kc.getCurrentCluster()?.server ?? '';
  let index: JsonObject;
  try {
    out.requests++;
    const body = await kubeGetOk(kc, '/openapi/v3', TIMEOUT_MS);
    const paths = isObject(body) ? body['paths'] : undefined;
    if (!isObject(paths)) throw new Error('no paths in the index');
    index = paths;
  } catch (err) {
    out.problems.push(
      `cannot read /openapi/v3 (${errorMessage(err)}): ${wanted.join(', ')} compare lists by the built-in table`,
    );
    return out;
  }
  await Promise.all(
    wanted.map(async (apiVersion) => {
      const entry = index[indexPath(apiVersion)];
      const url = isObject(entry) ? entry['serverRelativeURL'] : undefined;
      if (typeof url !== 'string') {
        out.problems.push(
          `${apiVersion} is not in /openapi/v3: its kinds compare lists by the built-in table`,
        );
        return;
      }
      const key = `${server} ${apiVersion}`;
      let cached = cache.get(key);
      if (cached?.url !== url) {
        const tables = kept?.get(key, url);
        if (tables) cache.set(key, (cached = { url, tables }));
      }
      if (cached?.url !== url) {
        try {
          out.requests++;
          const doc = await kubeGetOk(kc, url, TIMEOUT_MS);
          out.bytes += Buffer.byteLength(JSON.stringify(doc));
          cached = { url, tables: tablesOf(doc, apiVersion) };
          cache.set(key, cached);
          kept?.set(key, url, cached.tables);
        } catch (err) {
          out.problems.push(
            `cannot read the OpenAPI of ${apiVersion} (${errorMessage(err)}): its kinds compare lists by the built-in table`,
          );
          return;
        }
      }
      for (const [kind, table] of cached.tables) out.tables.set(listTableKey(apiVersion, kind), table);
    }),
  );
  return out;
}
