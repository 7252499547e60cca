// Field-by-field diff of a normalised pair. Missing on one side is `undefined` here; the result
// builder turns it into `null` so JSON output is uniform (`"live": null` = absent from the cluster).
import type { JsonValue, KubeObject } from '../types.ts';
import { formatPath, type ListScope, type Segment } from './path.ts';
import { walkPairs } from './walk.ts';

export interface RawDetail {
  segs: Segment[];
  path: string;
  desired: JsonValue | undefined;
  live: JsonValue | undefined;
}

/** `lists`: the kind with its CRD schema when it has one (NormalizeContext.lists); else the kind. */
export function diffObjects(
  desired: KubeObject,
  live: KubeObject,
  lists: ListScope = desired.kind,
): RawDetail[] {
  const out: RawDetail[] = [];
  walkPairs(desired as JsonValue, live as JsonValue, [], lists, (segs, d, l) => {
    out.push({ segs, path: formatPath(segs), desired: d, live: l });
  });
  return out;
}
