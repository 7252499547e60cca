// Secret values are redacted by the engine already; every view that prints a record's values (the
// CLI's describe and the UI's detail view) passes them through here too, so a record from anywhere
// never puts a Secret value on screen.
import { isSecretValuePath, REDACTED } from '../../shared/engine/index.ts';

import type { DriftDetail, JsonValue } from '../../shared/types.ts';

function hide(v: JsonValue | undefined): JsonValue | undefined {
  return v === null || v === undefined ? v : REDACTED;
}

/** The desired and live sides of a detail as they may be shown: Secret values become REDACTED. */
export function shownSides(
  kind: string,
  d: Pick<DriftDetail, 'path' | 'desired' | 'live'>,
): { desired: JsonValue | undefined; live: JsonValue | undefined } {
  return isSecretValuePath(kind, d.path)
    ? { desired: hide(d.desired), live: hide(d.live) }
    : { desired: d.desired, live: d.live };
}
