// Values as kube-apiserver stores them, for what a server-side apply sends: a field applied in another
// spelling than the one stored (`cpu: 1` as a number where the server keeps the string "1", a
// fieldRef without its defaulted `apiVersion: v1`) is a different value to the server, so it would
// conflict with the field's owner although nothing drifted. Quantities follow apimachinery's
// Quantity.String(): the input's suffix family (decimal SI, binary SI) and the largest exact suffix.
import type { JsonObject, JsonValue } from '../types.ts';
import { isObject } from './json.ts';
import { canonicalQuantity } from './quantity.ts';

const DECIMAL_SUFFIXES: readonly [number, string][] = [
  [18, 'E'],
  [15, 'P'],
  [12, 'T'],
  [9, 'G'],
  [6, 'M'],
  [3, 'k'],
  [0, ''],
  [-3, 'm'],
  [-6, 'u'],
  [-9, 'n'],
];
const BINARY_SUFFIXES: readonly [bigint, string][] = [
  [1n << 60n, 'Ei'],
  [1n << 50n, 'Pi'],
  [1n << 40n, 'Ti'],
  [1n << 30n, 'Gi'],
  [1n << 20n, 'Mi'],
  [1n << 10n, 'Ki'],
];

/** value = units × 10^-scale, from canonicalQuantity's exact decimal text. */
function decimal(text: string): { units: bigint; scale: number } {
  const [int = '0', frac = ''] = text.replace(/^-/, '').split('.');
  const sign = text.startsWith('-') ? -1n : 1n;
  return { units: sign * BigInt(int + frac), scale: frac.length };
}

function decimalSI(units: bigint, scale: number): string {
  if (units === 0n) return '0';
  for (const [exp, suffix] of DECIMAL_SUFFIXES) {
    const shift = exp + scale; // units × 10^-scale = m × 10^exp  ⇔  m = units / 10^(exp+scale)
    if (shift >= 0) {
      const d = 10n ** BigInt(shift);
      if (units % d === 0n) return `${units / d}${suffix}`;
    } else return `${units * 10n ** BigInt(-shift)}${suffix}`;
  }
  return `${units}`;
}

/** The server's spelling of a quantity, or the input when it is not one (validation will say so). */
export function serverQuantity(input: string | number): string | number {
  const exact = canonicalQuantity(input);
  if (exact === null) return input;
  const text = typeof input === 'number' ? String(input) : input.trim();
  // Exponent spellings (1e3) keep their own canonical form; they are rare enough to pass through.
  if (/[eE]/.test(text) && !/[EP]i?$/.test(text)) return input;
  const { units, scale } = decimal(exact);
  const binary = /[KMGTPE]i$/.test(text);
  if (binary && scale === 0 && (units >= 1024n || units <= -1024n)) {
    for (const [size, suffix] of BINARY_SUFFIXES) if (units % size === 0n) return `${units / size}${suffix}`;
    return `${units}`;
  }
  return decimalSI(units, scale);
}

/** Maps whose values are quantities (resources, quotas, capacities, pod overhead). */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead', 'hard', 'capacity', 'allocatable']);
const QUANTITY_FIELDS = new Set(['sizeLimit', 'storage']);
/** Kinds whose maps are user data: a ConfigMap key named `limits` holds text. */
const DATA_KINDS = new Set(['ConfigMap', 'Secret']);

function canonicalize(v: JsonValue, field: string, inQuantityMap: boolean): JsonValue {
  if (inQuantityMap || QUANTITY_FIELDS.has(field)) {
    if (typeof v === 'string' || typeof v === 'number') return serverQuantity(v);
  }
  if (Array.isArray(v)) return v.map((item) => canonicalize(item, field, false));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  const quantities = QUANTITY_MAPS.has(field);
  for (const [k, child] of Object.entries(v)) out[k] = canonicalize(child, k, quantities);
  // The server defaults a fieldRef's apiVersion; ports' protocol is part of their list key.
  if (field === 'fieldRef' && out['apiVersion'] === undefined) out['apiVersion'] = 'v1';
  if (field === 'ports' && (out['containerPort'] !== undefined || out['port'] !== undefined))
    out['protocol'] ??= 'TCP';
  return out;
}

/** A copy of `object` (or part of one) in the server's stored spelling, for a server-side apply. */
export function canonicalForApply(object: JsonObject, kind: string): JsonObject {
  if (DATA_KINDS.has(kind)) return object;
  return canonicalize(object, '', false) as JsonObject;
}

/** A Secret's `stringData` folded into `data` as base64 (stringData wins), as the API server stores it. */
export function foldStringData(secret: JsonObject): void {
  const stringData = secret['stringData'];
  if (!isObject(stringData)) return;
  const data: JsonObject = isObject(secret['data']) ? secret['data'] : {};
  for (const [k, v] of Object.entries(stringData)) {
    if (v === null || v === undefined) continue;
    data[k] = Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64');
  }
  delete secret['stringData'];
  secret['data'] = data;
}
