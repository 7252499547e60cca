// Waivers: known drift accepted until an expiry (issue 27). Pure: which waiver covers a record, and
// what a waiver does to a record's next state. A record whose every drifted field a waiver in force
// covers is `waived` (not active) until the waiver expires or is revoked, or, for a waiver of one
// resource, until the live value changes again (its drift then differs from the one waived: the
// waiver is void); then the drift is active again, with a `detected` event that says why.
import { glob, prefixMatch } from '../../shared/engine/index.ts';
import type {
  DriftDetail,
  DriftEvent,
  DriftRecord,
  StoredWaiver,
  Waiver,
  WaiverScope,
} from '../../shared/types.ts';
import { eventId, type TransitionOutcome } from './lifecycle.ts';
import { driftSignature } from './signature.ts';
import { driftMessage } from './wording.ts';

/** Whether the scope names this resource (its field aside). */
export function scopeNames(
  scope: WaiverScope,
  r: Pick<DriftRecord, 'resource_id' | 'kind' | 'namespace' | 'name'>,
): boolean {
  if (scope.resource_id !== null) return scope.resource_id === r.resource_id;
  return (
    (scope.kind === null || glob(scope.kind, r.kind)) &&
    (scope.namespace === null || glob(scope.namespace, r.namespace)) &&
    (scope.name === null || glob(scope.name, r.name))
  );
}

/** The drifted fields the scope's field covers (all of them without a field). */
export function scopedDetails(scope: WaiverScope, details: readonly DriftDetail[]): DriftDetail[] {
  return scope.field === null
    ? [...details]
    : details.filter((d) => prefixMatch(d.path, scope.field as string));
}

/** The signature a one-resource waiver keeps of the drift it waives (null for a rule). */
export function waivedSignature(scope: WaiverScope, details: readonly DriftDetail[]): string | null {
  return scope.resource_id === null ? null : driftSignature(scopedDetails(scope, details));
}

export function waiverState(w: StoredWaiver, now: number): Waiver['state'] {
  if (w.revoked_at) return 'revoked';
  if (w.voided_at) return 'void';
  return Date.parse(w.expires_at) <= now ? 'expired' : 'active';
}

/** The first waiver in force that covers every drifted field of the record, and those it voids. */
export function coveringWaiver(
  waivers: readonly StoredWaiver[],
  record: DriftRecord,
  now: number,
): { waiver: StoredWaiver | null; voided: StoredWaiver[] } {
  const voided: StoredWaiver[] = [];
  if (record.drift_details.length === 0) return { waiver: null, voided };
  for (const w of waivers) {
    if (waiverState(w, now) !== 'active' || !scopeNames(w.scope, record)) continue;
    const covered = scopedDetails(w.scope, record.drift_details);
    if (covered.length !== record.drift_details.length) continue;
    if (w.signature !== null && w.signature !== driftSignature(covered)) {
      voided.push(w);
      continue;
    }
    return { waiver: w, voided };
  }
  return { waiver: null, voided };
}

function ending(w: StoredWaiver | undefined, voided: readonly StoredWaiver[], now: number): string {
  if (!w) return 'its waiver is gone';
  if (voided.some((v) => v.id === w.id)) return `waiver ${w.id} is void: the live value changed again`;
  const state = waiverState(w, now);
  return state === 'revoked'
    ? `waiver ${w.id} was revoked`
    : state === 'expired'
      ? `waiver ${w.id} expired`
      : `waiver ${w.id} no longer covers it`;
}

function withEvent(
  record: DriftRecord,
  base: DriftEvent | null,
  kind: DriftEvent['event'],
  from: DriftRecord['drift_status'],
  message: string | null,
  now: string,
): DriftEvent {
  return {
    event_id: eventId(record.resource_id, kind, now, record.cluster),
    cluster: record.cluster,
    resource_id: record.resource_id,
    event: kind,
    from_status: from,
    to_status: record.drift_status,
    time: now,
    drift_type: base?.drift_type ?? record.drift_type,
    severity: base?.severity ?? record.severity,
    kind: record.kind,
    namespace: record.namespace,
    source: record.source,
    message,
  };
}

/**
 * The next state with the waivers applied: an active drift a waiver covers becomes `waived` (with
 * an event when it becomes so); a waived one whose waiver ended is active again with a `detected`
 * event naming why. `voided`: one-resource waivers whose drift changed (the caller stores them void).
 */
export function applyWaivers(
  next: TransitionOutcome,
  previous: DriftRecord | null,
  waivers: readonly StoredWaiver[],
  now: string,
): TransitionOutcome & { voided: StoredWaiver[] } {
  const { waiver: _old, ...record } = next.record;
  const wasWaived = previous?.drift_status === 'waived';
  const at = Date.parse(now);
  if (record.drift_status !== 'active') {
    // Resolved (or never drifted): a waived drift that resolves says it came from `waived`.
    const event = next.event && wasWaived ? { ...next.event, from_status: 'waived' as const } : next.event;
    return { record, event, voided: [] };
  }
  const { waiver, voided } = coveringWaiver(waivers, record, at);
  if (waiver) {
    const ref = { id: waiver.id, owner: waiver.owner, reason: waiver.reason, expires_at: waiver.expires_at };
    const waived: DriftRecord = { ...record, drift_status: 'waived', waiver: ref };
    if (wasWaived && previous?.waiver?.id === waiver.id) return { record: waived, event: null, voided };
    const kind = next.event?.event === 'detected' ? 'detected' : 'updated';
    const from = previous?.drift_status ?? 'none';
    const message = `waived by ${waiver.owner} until ${waiver.expires_at}: ${waiver.reason}`;
    return { record: waived, event: withEvent(waived, next.event, kind, from, message, now), voided };
  }
  if (!wasWaived) return { record, event: next.event, voided };
  const old = waivers.find((w) => w.id === previous?.waiver?.id);
  const message = `${ending(old, voided, at)}: ${next.event?.message ?? driftMessage(record.drift_details)}`;
  return { record, event: withEvent(record, next.event, 'detected', 'waived', message, now), voided };
}
