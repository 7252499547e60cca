// Who changed a drifted field: the manager owning its path with the newest `time`. For a field that
// is gone from live, nobody owns it any more, so the newest manager owning its nearest ancestor is named.
import type { ManagedFieldsEntry } from './managed-fields.ts';
import { reach } from './managed-fields.ts';
import type { Segment } from './path.ts';

export interface Attribution { manager: string | null; changed_at: string | null; subresource: string | null }

const NOBODY: Attribution = { manager: null, changed_at: null, subresource: null };

export function attribute(entries: readonly ManagedFieldsEntry[], segs: readonly Segment[]): Attribution {
  let best: ManagedFieldsEntry | null = null;
  let bestOwns = false;
  let bestDepth = 0;
  for (const e of entries) {
    const r = reach(e.fields, segs);
    if (!r.owns && r.depth === 0) continue;
    const better =
      best === null ||
      (r.owns && !bestOwns) ||
      (r.owns === bestOwns && (r.owns ? e.timeMs > best.timeMs : r.depth > bestDepth || (r.depth === bestDepth && e.timeMs > best.timeMs)));
    if (better) { best = e; bestOwns = r.owns; bestDepth = r.depth; }
  }
  if (!best) return NOBODY;
  return { manager: best.manager, changed_at: best.time, subresource: best.subresource };
}
