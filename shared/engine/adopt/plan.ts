// Which fields an adopt writes, and with what: the live side of each drift detail the user picked
// (all of them by default), as edits on the declared object. A field absent in the cluster is removed
// from Git; a field only the cluster has is added. Secret values are refused: the engine never holds
// them in the clear, and Git is no place for them anyway.
import type { DriftDetail, JsonValue } from '../../types.ts';
import { pathHasPrefix, type Segment } from '../path.ts';
import { isSecretValuePath, REDACTED } from '../secrets.ts';
import { parsePath } from './path-parse.ts';
import type { FieldEdit } from './yaml-edit.ts';

export class AdoptRefused extends Error {}

/** One field to adopt: where, what Git has, what the cluster has, and who changed it there. */
export interface AdoptField extends FieldEdit {
  path: string;
  from: JsonValue | null;
  to: JsonValue | null;
  manager: string | null;
}

function selected(segs: readonly Segment[], path: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return true;
  // A field names the detail or something inside it (then the whole detail is adopted).
  return wanted.some(
    (w) => pathHasPrefix(segs, w) || w === path || w.startsWith(`${path}.`) || w.startsWith(`${path}[`),
  );
}

/** The fields to adopt from `details` (those `wanted` names, all when empty). Throws AdoptRefused. */
export function adoptFields(
  kind: string,
  id: string,
  details: readonly DriftDetail[],
  wanted: readonly string[],
): AdoptField[] {
  const picked = details.filter((d) => selected(parsePath(d.path), d.path, wanted));
  const unmatched = wanted.filter((w) => !details.some((d) => selected(parsePath(d.path), d.path, [w])));
  if (unmatched.length > 0)
    throw new AdoptRefused(
      `${id} has no drift at ${unmatched.join(', ')}; its drifted fields: ${details.map((d) => d.path).join(', ') || 'none'}`,
    );
  const secret = picked.filter((d) => isSecretValuePath(kind, d.path) || d.live === REDACTED);
  if (secret.length > 0) {
    const others = picked.filter((d) => !secret.includes(d));
    throw new AdoptRefused(
      `refusing to adopt ${secret.map((d) => d.path).join(', ')} of ${id}: Secret values are never written to Git ` +
        '(keep them in your secret store: Sealed Secrets, SOPS, External Secrets)' +
        (others.length > 0
          ? `; adopt the other fields with ${others.map((d) => `--field '${d.path}'`).join(' ')}`
          : ''),
    );
  }
  return picked.map((d) => ({
    path: d.path,
    segs: parsePath(d.path),
    value: d.live === null || d.live === undefined ? undefined : d.live,
    from: d.desired ?? null,
    to: d.live ?? null,
    manager: d.manager,
  }));
}
