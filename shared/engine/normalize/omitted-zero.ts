// A zero value in Git that the server does not echo back (`readOnly: false`, `nodePort: 0`,
// `serviceAccount: ""`) means the same as leaving the field out: Go's `omitempty` drops it on the
// way back. So a desired zero scalar whose field is absent on the live side is removed from desired.
// A zero the server does keep (e.g. `replicas: 0`, a label or ConfigMap value "", a pointer field
// such as `allowPrivilegeEscalation: false`) is still compared, so its removal from live is drift.
import type { JsonObject, JsonValue, KubeObject } from '../../types.ts';
import { isObject } from '../json.ts';
import { keyedItems, type ListScope, type Segment } from '../path.ts';
import { USER_MAPS } from '../walk.ts';
import type { Normalizer } from './types.ts';

const isZero = (v: JsonValue | undefined): boolean => v === false || v === 0 || v === '';

/**
 * Pointer fields (`*bool`, `*int64` in the Go types): the server stores a zero Git sets, so live
 * lacking one means someone removed it, e.g. a security setting edited away. (`hostUsers` is left
 * out: the server clears it when its feature gate is off.)
 */
const KEPT_ZERO_FIELDS: ReadonlySet<string> = new Set([
  'privileged',
  'allowPrivilegeEscalation',
  'readOnlyRootFilesystem',
  'runAsNonRoot',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'automountServiceAccountToken',
  'shareProcessNamespace',
  'immutable',
  'optional',
  'terminationGracePeriodSeconds',
  'backoffLimit',
  'ttlSecondsAfterFinished',
  // Pointers with a non-zero default: Git's 0 is kept, and the default normalisers drop a live
  // value equal to the default, so without these `replicas: 0` in Git against 1 live read as in sync.
  'replicas',
  'minReplicas',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'parallelism',
  'completions',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
]);

function pruneObject(desired: JsonObject, live: JsonObject, segs: Segment[], kind: ListScope): void {
  // Entries of a user map are not omitempty struct fields: live lacking one means it was removed.
  const last = segs[segs.length - 1];
  const userMap = last !== undefined && 'field' in last && USER_MAPS.has(last.field);
  for (const [k, v] of Object.entries(desired)) {
    if (!(k in live)) {
      if (!userMap && !KEPT_ZERO_FIELDS.has(k) && isZero(v)) delete desired[k];
      continue;
    }
    prune(v, live[k], [...segs, { field: k }], kind);
  }
}

function pruneList(desired: JsonValue[], live: JsonValue[], segs: Segment[], kind: ListScope): void {
  const d = keyedItems(desired, segs, kind);
  const l = keyedItems(live, segs, kind);
  if (d && l) {
    const byId = new Map(l.map((it) => [it.id, it.value]));
    for (const it of d) prune(it.value, byId.get(it.id), [...segs, it.seg], kind);
    return;
  }
  if (desired.length !== live.length) return;
  // Lists without a merge key are compared by position.
  desired.forEach((v, i) => prune(v, live[i], segs, kind));
}

function prune(desired: JsonValue, live: JsonValue | undefined, segs: Segment[], kind: ListScope): void {
  if (isObject(desired) && isObject(live)) pruneObject(desired, live, segs, kind);
  else if (Array.isArray(desired) && Array.isArray(live)) pruneList(desired, live, segs, kind);
}

export const omittedZeroNormalizer: Normalizer = {
  name: 'omitted-zero',
  normalize(desired: KubeObject, live: KubeObject | undefined, ctx) {
    if (live) prune(desired, live, [], ctx.lists);
  },
};
