// A map (or keyed list) present on one side only is one difference (`spec.securityContext` added
// live), but a rule may name a field under it (`spec.securityContext.runAsUser`). Such a difference
// is split into its entries and items, down to where no rule reaches, so each part is judged on its
// own: the parts a rule covers are not drift, and when every part is covered nothing is.
import type { JsonValue } from '../../types.ts';
import type { RawDetail } from '../diff.ts';
import { isObject } from '../json.ts';
import { formatPath, keyedItems, type ListScope, type Segment } from '../path.ts';

/** Whether some rule names a field strictly under `segs`. */
export type ReachesBelow = (segs: readonly Segment[]) => boolean;

function part(segs: Segment[], desired: JsonValue | undefined, live: JsonValue | undefined): RawDetail {
  return { segs, path: formatPath(segs), desired, live };
}

/** The entries or items of the one side's value, each as a difference; null when it has none to give. */
function children(raw: RawDetail, lists: ListScope): RawDetail[] | null {
  const value = raw.desired === undefined ? raw.live : raw.desired;
  const onDesired = raw.desired !== undefined;
  const at = (seg: Segment, v: JsonValue) =>
    part([...raw.segs, seg], onDesired ? v : undefined, onDesired ? undefined : v);
  if (isObject(value)) {
    // A list item's key fields name it; they are not parts of its content.
    const last = raw.segs[raw.segs.length - 1];
    const key = last && 'key' in last ? last.key : {};
    const entries = Object.entries(value).filter(([k]) => !Object.hasOwn(key, k));
    return entries.length === 0 ? null : entries.map(([k, v]) => at({ field: k }, v));
  }
  if (Array.isArray(value)) {
    const items = keyedItems(value, raw.segs, lists);
    return items && items.map((it) => at(it.seg, it.value));
  }
  return null;
}

/**
 * The parts of a one-sided difference a rule reaches into, split as deep as rules reach; null when
 * it is not split (both sides present, a scalar or an unkeyed list, or no rule reaches below it).
 */
export function splitForRules(raw: RawDetail, lists: ListScope, reaches: ReachesBelow): RawDetail[] | null {
  if ((raw.desired === undefined) === (raw.live === undefined) || !reaches(raw.segs)) return null;
  const parts = children(raw, lists);
  return parts && parts.flatMap((p) => splitForRules(p, lists, reaches) ?? [p]);
}
