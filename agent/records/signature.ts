// A canonical text of "which fields drifted to which values", so an active record raises an
// `updated` event only when that set really changed (not on every periodic check, nor when the
// engine lists the same fields in another order or with object keys in another order).
import type { DriftDetail, JsonValue } from '../../shared/types.ts';

/** JSON with object keys sorted; `undefined` (field absent) spelled distinctly from null. */
export function canonicalJson(value: JsonValue | undefined | null): string {
  if (value === undefined) return '~';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export function driftSignature(details: DriftDetail[]): string {
  return details
    .map((d) => `${d.path}\u0000${canonicalJson(d.desired)}\u0000${canonicalJson(d.live)}`)
    .sort()
    .join('\u0001');
}
