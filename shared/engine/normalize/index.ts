// The normalisation pipeline. Order matters: metadata first (so managedFields is read beforehand by
// the caller and then dropped), Secret hashing before anything could copy values, spellings before
// defaults (defaults compare canonical values), empties and list order last, then ownership.
import type { JsonObject, KubeObject } from '../../types.ts';
import { schemaFor } from '../crd-schema.ts';
import { listTableKey } from '../list-table.ts';
import { clone, isObject } from '../json.ts';
import { parseManagedFields } from '../managed-fields.ts';
import type { EngineOptions } from '../options.ts';
import { admissionNormalizer } from './admission.ts';
import { crdNormalizer } from './crd.ts';
import { customResourceNormalizer } from './custom-resource.ts';
import { emptyNormalizer } from './empty.ts';
import { hpaNormalizer } from './hpa.ts';
import { jobLabelsNormalizer } from './job-labels.ts';
import { keyedListsNormalizer } from './keyed-lists.ts';
import { metadataNormalizer } from './metadata.ts';
import { miscNormalizer } from './misc.ts';
import { networkingNormalizer } from './networking.ts';
import { omittedZeroNormalizer } from './omitted-zero.ts';
import { otherKindsNormalizer } from './other-kinds.ts';
import { pullPolicyNormalizer } from './pull-policy.ts';
import { ownershipNormalizer } from './ownership.ts';
import { scalarsNormalizer } from './scalars.ts';
import { secretNormalizer } from './secret.ts';
import { serviceNormalizer } from './service.ts';
import type { NormalizeContext, Normalizer } from './types.ts';
import { workloadsNormalizer } from './workloads.ts';

export type { NormalizeContext, Normalizer } from './types.ts';

export const NORMALIZERS: readonly Normalizer[] = [
  metadataNormalizer,
  jobLabelsNormalizer,
  customResourceNormalizer,
  secretNormalizer,
  scalarsNormalizer,
  workloadsNormalizer,
  pullPolicyNormalizer,
  serviceNormalizer,
  hpaNormalizer,
  networkingNormalizer,
  crdNormalizer,
  admissionNormalizer,
  otherKindsNormalizer,
  miscNormalizer,
  emptyNormalizer,
  keyedListsNormalizer,
  omittedZeroNormalizer,
  ownershipNormalizer,
];

export interface NormalizedPair {
  desired: KubeObject;
  live: KubeObject | undefined;
  ctx: NormalizeContext;
}

/**
 * A copy of live without what the metadata normaliser (first in the pipeline) drops at once:
 * managedFields (read into ctx.managed beforehand) and status are often most of a live object.
 */
function cloneLive(live: KubeObject): KubeObject {
  const out: JsonObject = {};
  for (const k in live) {
    const v = live[k];
    if (v === undefined || k === 'status') continue;
    if (k !== 'metadata' || !isObject(v)) {
      out[k] = clone(v);
      continue;
    }
    const meta: JsonObject = {};
    for (const mk in v) {
      const mv = v[mk];
      if (mv !== undefined && mk !== 'managedFields') meta[mk] = clone(mv);
    }
    out[k] = meta;
  }
  return out as KubeObject;
}

/** Normalise copies of both sides; the inputs are never modified. */
export function normalizePair(
  desired: KubeObject,
  live: KubeObject | undefined,
  opts: EngineOptions,
  normalizers: readonly Normalizer[] = NORMALIZERS,
): NormalizedPair {
  const schema = schemaFor(desired, opts.crdSchemas);
  const table = schema ? undefined : opts.listTables?.get(listTableKey(desired.apiVersion, desired.kind));
  const lists = schema || table ? { kind: desired.kind, schema, table } : desired.kind;
  const ctx: NormalizeContext = { kind: desired.kind, lists, opts, managed: parseManagedFields(live) };
  const d = clone(desired);
  const l = live ? (normalizers[0] === metadataNormalizer ? cloneLive(live) : clone(live)) : undefined;
  for (const n of normalizers) n.normalize(d, l, ctx);
  return { desired: d, live: l, ctx };
}
