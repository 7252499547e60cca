// The confirm stage (parse → normalise → compare → confirm → classify). A normaliser only models
// what we have read in the API server's source; admission (mutating policies, webhooks) is the
// user's own code. So the fields the comparison suspects are checked against the server's own
// answer to a dry-run of Git's object: what Git's object becomes when the server takes it in now.
// A suspected field where that answer equals live is explained (set on admission or by the
// server), not drift; one where it differs is confirmed. Confirm can only remove suspected drift,
// never add any: fields the comparison did not suspect are not looked at.
import type { JsonValue, KubeObject } from '../types.ts';
import type { DriftField } from './drift-field.ts';
import { attribute } from './attribution.ts';
import { deepEqual, isObject } from './json.ts';
import type { ManagedFieldsEntry } from './managed-fields.ts';
import { NORMALIZERS, normalizePair } from './normalize/index.ts';
import { ownershipNormalizer } from './normalize/ownership.ts';
import type { EngineOptions } from './options.ts';
import { formatPath, getAt } from './path.ts';
import { walkPairs } from './walk.ts';

/**
 * The server's answer to a dry-run of Git's object, or why there is none (refused, unreachable,
 * off). `via: 'apply'`: the create was refused (`refused` says why) and the answer is a
 * server-side apply dry-run onto the live object, which keeps other managers' fields: it confirms
 * only fields Git sets.
 */
export type ConfirmAnswer =
  | { ok: true; object: KubeObject; via?: 'create' | 'apply'; refused?: string }
  | { ok: false; reason: string };

export interface ConfirmedFields {
  /** Suspected fields that remain drift: `confirmed` when the answer differs from live there. */
  drift: (DriftField & { confirmed: boolean; reason?: string })[];
  /** Suspected fields the answer explains: live holds what the server makes of Git's object. */
  explained: DriftField[];
}

/**
 * Every field of the answer counts, owned or not: the ownership normaliser drops unowned live-only
 * fields because a live object mixes what Git set with what others left, but the answer holds
 * only what the server made of Git's object.
 */
const ANSWER_NORMALIZERS = NORMALIZERS.filter((n) => n !== ownershipNormalizer);

/** The answer normalised as live is (against the same desired object), so the two compare. */
export function normalizeAnswer(desired: KubeObject, answer: KubeObject, opts: EngineOptions): KubeObject {
  const { live } = normalizePair(desired, answer, opts, ANSWER_NORMALIZERS);
  return live ?? answer;
}

/** `managed`: live's managedFields (parsed), to attribute the finer fields a check may find. */
export function confirmFields(
  desired: KubeObject,
  suspected: readonly DriftField[],
  answer: ConfirmAnswer,
  opts: EngineOptions,
  managed: readonly ManagedFieldsEntry[] = [],
): ConfirmedFields {
  if (!answer.ok)
    return {
      drift: suspected.map((f) => ({ ...f, confirmed: false, reason: answer.reason })),
      explained: [],
    };
  const kind = desired.kind;
  const made = normalizeAnswer(desired, answer.object, opts);
  const out: ConfirmedFields = { drift: [], explained: [] };
  for (const f of suspected) {
    const a = getAt(made, f.raw.segs, kind);
    if (answer.via === 'apply' && f.raw.desired === undefined)
      // Live's own value came back from the apply: a field added by hand and one admission added
      // look the same there, so this one keeps the comparison's verdict.
      out.drift.push({ ...f, confirmed: false, reason: applyFallbackReason(answer.refused) });
    else if (deepEqual(a, f.raw.live)) out.explained.push(f);
    else if (f.raw.desired === undefined && sameShape(a, f.raw.live))
      // Git does not set this field and admission made it (an injected sidecar): what a person
      // changed inside it is the drift, field by field, not the whole of it.
      walkPairs(a, f.raw.live, f.raw.segs, kind, (segs, d, l) => {
        const who = attribute(managed, segs);
        const raw = { segs, path: formatPath(segs), desired: d, live: l };
        out.drift.push({ raw, manager: who.manager, changed_at: who.changed_at, confirmed: true });
      });
    else out.drift.push({ ...f, confirmed: true });
  }
  return out;
}

function applyFallbackReason(refused: string | undefined): string {
  return `${refused ?? 'dry-run create refused'}; the server-side apply dry-run used instead keeps other managers' fields, so it cannot confirm a field Git does not set`;
}

function sameShape(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return (isObject(a) && isObject(b)) || (Array.isArray(a) && Array.isArray(b));
}
