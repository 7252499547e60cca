// Custom resources as the API server stores them: the CRD's structural schema prunes fields it does
// not declare and fills in its `default`s (apiextensions-apiserver pkg/apiserver/schema/pruning and
// .../defaulting/algorithm.go). Applying the same two steps to the desired object keeps both from
// reading as drift. Pure: the adapters read the CRDs and pass them in (EngineOptions.crdSchemas).
import type { JsonObject, JsonValue, KubeObject } from '../types.ts';
import { kindKey } from './identity.ts';
import { arr, clone, isObject, obj, str } from './json.ts';

/** `openAPIV3Schema` by kind key (`Widget.example.com`) and version name. */
export type CrdSchemas = ReadonlyMap<string, ReadonlyMap<string, JsonObject>>;

/** The schemas of CustomResourceDefinitions (apiextensions.k8s.io/v1), e.g. as listed from the server. */
export function crdSchemas(crds: readonly JsonValue[]): Map<string, Map<string, JsonObject>> {
  const out = new Map<string, Map<string, JsonObject>>();
  for (const crd of crds) {
    if (!isObject(crd) || crd['kind'] !== 'CustomResourceDefinition') continue;
    const spec = obj(crd, 'spec');
    const group = str(spec, 'group');
    const kind = str(obj(spec, 'names'), 'kind');
    if (group === undefined || kind === undefined) continue;
    const versions = new Map<string, JsonObject>();
    for (const v of arr(spec, 'versions') ?? []) {
      const name = str(v, 'name');
      const schema = obj(obj(v, 'schema'), 'openAPIV3Schema');
      if (name !== undefined && schema) versions.set(name, schema);
    }
    out.set(kindKey(kind, group), versions);
  }
  return out;
}

const preserves = (s: JsonObject): boolean => s['x-kubernetes-preserve-unknown-fields'] === true;

/** The schema for a map's key: a declared property, else additionalProperties when it is a schema. */
function childSchema(s: JsonObject, key: string): JsonObject | null | undefined {
  const props = obj(s, 'properties');
  if (props && isObject(props[key])) return props[key];
  const ap = s['additionalProperties'];
  if (isObject(ap)) return ap;
  if (ap === true) return null; // anything goes, no schema below
  return undefined;
}

/**
 * Drop what the schema does not declare, as the server's pruning does. `root` keeps apiVersion, kind
 * and metadata (as does an embedded resource, x-kubernetes-embedded-resource).
 */
function prune(x: JsonValue, s: JsonObject, root: boolean): void {
  if (Array.isArray(x)) {
    const items = obj(s, 'items');
    if (items) for (const v of x) prune(v, items, false);
    return;
  }
  if (!isObject(x)) return;
  const embedded = root || s['x-kubernetes-embedded-resource'] === true;
  for (const k of Object.keys(x)) {
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const child = childSchema(s, k);
    if (child === undefined) {
      if (!preserves(s)) delete x[k];
      continue;
    }
    if (child !== null) prune(x[k] as JsonValue, child, false);
  }
}

/** Fill in `default`s top-down: a default is itself defaulted below (algorithm.go Default). */
function applyDefaults(x: JsonValue, s: JsonObject): void {
  if (Array.isArray(x)) {
    const items = obj(s, 'items');
    if (!items) return;
    x.forEach((v, i) => {
      if (v === null && items['nullable'] !== true && items['default'] !== undefined)
        x[i] = clone(items['default'] as JsonValue);
      applyDefaults(x[i] as JsonValue, items);
    });
    return;
  }
  if (!isObject(x)) return;
  const props = obj(s, 'properties') ?? {};
  for (const [k, p] of Object.entries(props)) {
    if (!isObject(p) || p['default'] === undefined) continue;
    const v = x[k];
    if (v === undefined || (v === null && p['nullable'] !== true)) x[k] = clone(p['default']);
  }
  const ap = obj(s, 'additionalProperties');
  for (const [k, v] of Object.entries(x)) {
    const p = isObject(props[k]) ? props[k] : ap;
    if (!p) continue;
    if (p === ap && v === null && p['nullable'] !== true && p['default'] !== undefined)
      x[k] = clone(p['default'] as JsonValue);
    applyDefaults(x[k] as JsonValue, p);
  }
}

/** The schema for this object's kind and version, if the CRD is known. */
export function schemaFor(o: KubeObject, schemas: CrdSchemas | undefined): JsonObject | undefined {
  if (!schemas) return undefined;
  const slash = o.apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  return schemas.get(kindKey(o.kind, o.apiVersion.slice(0, slash)))?.get(o.apiVersion.slice(slash + 1));
}

/** Prune then default `o` in place, as the API server does on create and update. */
export function applyStructuralSchema(o: KubeObject, schema: JsonObject): void {
  prune(o, schema, true);
  applyDefaults(o, schema);
}
