// A field live has and Git does not set counts only when a field manager owns it (a person or tool
// added it, e.g. `kubectl label`). Anything else the server or a webhook filled in is dropped from live.
// Runs after the default normalisers, so a defaulted value is gone before ownership is asked.
import type { JsonValue } from '../../types.ts';
import { isOwned } from '../managed-fields.ts';
import { setAt, type Segment } from '../path.ts';
import { walkPairs } from '../walk.ts';
import { pruneEmpty } from './empty.ts';
import type { Normalizer } from './types.ts';

export const ownershipNormalizer: Normalizer = {
  name: 'unowned-live-fields',
  normalize(desired, live, ctx) {
    if (!live) return;
    const unowned: Segment[][] = [];
    walkPairs(desired as JsonValue, live as JsonValue, [], ctx.kind, (segs, d, l) => {
      if (d === undefined && l !== undefined && !isOwned(ctx.managed, segs)) unowned.push(segs);
    });
    for (const segs of unowned) setAt(live, segs, ctx.kind, undefined);
    if (unowned.length > 0) pruneEmpty(live);
  },
};
