// Small JSON helpers shared by every engine module. Kept dependency-free so the engine stays pure.
import type { JsonObject, JsonValue } from '../types.ts';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep copy of a JSON tree (no cycles in YAML/JSON data). Hand-written because structuredClone was
 * the engine's top cost in the benchmark. Non-JSON leaves (e.g. a Date from a client cache) become strings.
 */
export function clone<T extends JsonValue>(v: T): T {
  return cloneAny(v) as T;
}

function cloneAny(v: unknown): JsonValue {
  if (v === null || typeof v !== 'object') return v as JsonValue;
  if (Array.isArray(v)) {
    const out: JsonValue[] = new Array<JsonValue>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneAny(v[i]);
    return out;
  }
  if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, 'Z');
  const out: JsonObject = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = cloneAny(x);
  }
  return out;
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'null';
  // Built by appending to one string (no intermediate arrays): it is hashed twice per object.
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + canonicalJson(v[i]);
    return `${s}]`;
  }
  const keys = Object.keys(v).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const x = v[k];
    if (x === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(x)}`;
    first = false;
  }
  return `${s}}`;
}

/** Child object at `key`, or undefined when it is absent or not an object. */
export function obj(parent: JsonValue | undefined, key: string): JsonObject | undefined {
  if (!isObject(parent)) return undefined;
  const v = parent[key];
  return isObject(v) ? v : undefined;
}

/** Child array at `key`, or undefined. */
export function arr(parent: JsonValue | undefined, key: string): JsonValue[] | undefined {
  if (!isObject(parent)) return undefined;
  const v = parent[key];
  return Array.isArray(v) ? v : undefined;
}

export function str(parent: JsonValue | undefined, key: string): string | undefined {
  if (!isObject(parent)) return undefined;
  const v = parent[key];
  return typeof v === 'string' ? v : undefined;
}

/** Delete `key` from `o` when its value deep-equals `def` (a server default). */
export function dropIfEqual(o: JsonObject | undefined, key: string, def: JsonValue): void {
  if (o && Object.hasOwn(o, key) && deepEqual(o[key], def)) delete o[key];
}
