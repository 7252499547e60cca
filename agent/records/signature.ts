// A canonical text of "which fields drifted to which values", so an active record raises an
// `updated` event only when that set really changed (not on every periodic check, nor when the
// engine lists the same fields in another order or with object keys in another order).
import { canonicalJson } from '../../shared/engine/index.ts';
import type { DriftDetail } from '../../shared/types.ts';

export function driftSignature(details: DriftDetail[]): string {
  return details
    .map((d) => `${d.path}\u0000${canonicalJson(d.desired)}\u0000${canonicalJson(d.live)}`)
    .sort()
    .join('\u0001');
}
