// Who changed a drifted field: the manager owning its path (most specifically, then newest `time`).
// For a field that is gone from live, nobody owns it any more, so the newest manager owning its
// nearest ancestor is named.
import type { ManagedFieldsEntry } from './managed-fields.ts';
import { reach, type Reach } from './managed-fields.ts';
import type { Segment } from './path.ts';

export interface Attribution {
  manager: string | null;
  changed_at: string | null;
  subresource: string | null;
}

const NOBODY: Attribution = { manager: null, changed_at: null, subresource: null };

/**
 * How strongly an entry claims the path: naming the path itself beats covering it with a leaf
 * ancestor (`f:ports: {}` beside another manager's `k:{"port":81,…}`), which beats owning only an
 * ancestor of a removed field (ranked by depth). managedFields times have one-second resolution, so
 * two writes in the same second are told apart by this, not by time.
 */
function rank(r: Reach): number {
  if (r.owns) return r.exact ? 2_000_000 : 1_000_000;
  return r.depth;
}

export function attribute(entries: readonly ManagedFieldsEntry[], segs: readonly Segment[]): Attribution {
  let best: ManagedFieldsEntry | null = null;
  let bestRank = 0;
  for (const e of entries) {
    const r = rank(reach(e.fields, segs));
    if (r === 0) continue;
    if (best === null || r > bestRank || (r === bestRank && e.timeMs > best.timeMs)) {
      best = e;
      bestRank = r;
    }
  }
  if (!best) return NOBODY;
  return { manager: best.manager, changed_at: best.time, subresource: best.subresource };
}
