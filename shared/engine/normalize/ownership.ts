// A field live has and Git does not set counts only when a field manager owns it (a person or tool
// added it, e.g. `kubectl label`). Anything else the server or a webhook filled in is dropped from live.
// Runs after the default normalisers, so a defaulted value is gone before ownership is asked.
import type { JsonValue, KubeObject } from '../../types.ts';
import { objectId } from '../identity.ts';
import { isOwned } from '../managed-fields.ts';
import { setAt, type Segment } from '../path.ts';
import { walkPairs } from '../walk.ts';
import { pruneEmpty } from './empty.ts';
import type { NormalizeContext, Normalizer } from './types.ts';

/** Kinds whose `spec.replicas` the scale subresource writes (and the server defaults to 1). */
const SCALABLE: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** Whether a verdict on an object of this kind reads `EngineOptions.autoscaled` (see unownedScale). */
export function readsAutoscaled(kind: string): boolean {
  return SCALABLE.has(kind);
}

/**
 * A replica count nobody owns that is still a scale by hand. The server records no manager for a
 * write through the scale subresource when no manager owned `spec.replicas` before (its field
 * manager skips tracking on an object part without managed fields): so `kubectl scale` of an
 * object applied server-side (kubectl, Helm) leaves live replicas with no owner, while after a
 * client-side apply or create it is owned by `kubectl`. An autoscaler's write is just as ownerless,
 * so this needs the adapters' list of autoscaled workloads; without it, unowned stays not drift.
 */
function unownedScale(desired: KubeObject, segs: readonly Segment[], ctx: NormalizeContext): boolean {
  const auto = ctx.opts.autoscaled;
  // Without managedFields nothing is known of who wrote what (README): never drift then.
  if (!auto || ctx.managed.length === 0 || !SCALABLE.has(ctx.kind) || segs.length !== 2) return false;
  const [a, b] = segs;
  if (!a || !b || !('field' in a) || !('field' in b) || a.field !== 'spec' || b.field !== 'replicas')
    return false;
  return !auto.has(objectId(desired, ctx.opts.defaultNamespace, ctx.opts.scopes));
}

export const ownershipNormalizer: Normalizer = {
  name: 'unowned-live-fields',
  normalize(desired, live, ctx) {
    if (!live) return;
    const unowned: Segment[][] = [];
    walkPairs(desired as JsonValue, live as JsonValue, [], ctx.lists, (segs, d, l) => {
      if (
        d === undefined &&
        l !== undefined &&
        !isOwned(ctx.managed, segs) &&
        !unownedScale(desired, segs, ctx)
      )
        unowned.push(segs);
    });
    for (const segs of unowned) setAt(live, segs, ctx.lists, undefined);
    if (unowned.length > 0) pruneEmpty(live);
  },
};
