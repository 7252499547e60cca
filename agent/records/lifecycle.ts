// The life of a drift record, as a pure function of the previous record and the engine's new
// verdict. The store persists what this returns; nothing here does I/O or reads the clock.
//
//   previous        verdict     next       event
//   null / none     in sync     none       —
//   null / none     drift       active     detected   (first_detected = now)
//   active          drift       active     updated    only when the drifted paths/values changed
//   active          in sync     resolved   resolved   (resolved_at, resolution_message set)
//   resolved        drift       active     detected   a new episode: new first_detected, resolved_at cleared
//   resolved        in sync     resolved   —
import type { DriftEvent, DriftRecord, DriftResult, DriftStatus, Transition } from '../../shared/types.ts';
import { driftSignature } from './signature.ts';
import { driftMessage, resolutionMessage } from './wording.ts';

export interface TransitionOutcome {
  record: DriftRecord;
  event: DriftEvent | null;
}

/** The cluster of records written without a configured one (config kubernetes.cluster's default). */
export const DEFAULT_CLUSTER = 'default';

/**
 * Deterministic, so an event stored twice is stored once, and unique across the clusters sharing a
 * database: `<resource_id>|<event>|<time>`, prefixed by `<cluster>|` when the cluster is not the
 * default one (the default keeps the ids it always had). For a transition, `time` is when the
 * record it starts from was written (its last_checked; the analysis time for a resource never
 * recorded): the same transition computed again from the same stored record — a write retried
 * after a timeout, or a new leader after the old one died between storing the event and the
 * record — has the same id, and each transition starts from another record.
 */
export function eventId(
  resourceId: string,
  event: Transition,
  time: string,
  cluster = DEFAULT_CLUSTER,
): string {
  const id = `${resourceId}|${event}|${time}`;
  return cluster === DEFAULT_CLUSTER ? id : `${cluster}|${id}`;
}

/**
 * The next record and the event (if any) for one resource, given its previous record (null when
 * the resource was never seen), the engine's result and the analysis time (ISO 8601).
 * Throws on a time that does not parse or a previous record of another resource.
 */
/** The engine's verdict and the source the object came from (absent in tests of one source). */
export type SourcedResult = DriftResult & { source?: string | null };

export function transition(
  previous: DriftRecord | null,
  result: SourcedResult,
  now: string,
  cluster: string = DEFAULT_CLUSTER,
): TransitionOutcome {
  if (Number.isNaN(Date.parse(now)))
    throw new TypeError(`transition: time ${JSON.stringify(now)} is not an ISO 8601 date`);
  if (previous && (previous.cluster ?? DEFAULT_CLUSTER) !== cluster)
    throw new Error(
      `transition: previous record of ${previous.resource_id} belongs to cluster ${previous.cluster}, not ${cluster}`,
    );
  if (previous && previous.resource_id !== result.resource_id) {
    throw new Error(
      `transition: previous record ${previous.resource_id} does not belong to ${result.resource_id}`,
    );
  }
  // A waived drift is an active one under a waiver (records/waivers.ts decides that afterwards).
  const stored: DriftStatus = previous?.drift_status ?? 'none';
  const from: DriftStatus = stored === 'waived' ? 'active' : stored;
  const verdict = { ...result, cluster };
  if (result.drift_detected)
    return from === 'active' ? stillDrifting(previous, verdict, now) : detected(previous, from, verdict, now);
  return from === 'active' ? resolved(previous, verdict, now) : inSync(previous, from, verdict, now);
}

type Verdict = SourcedResult & { cluster: string };

/** The fields every next record takes from the engine's result and the clock. */
function base(
  result: Verdict,
  now: string,
): Omit<
  DriftRecord,
  'drift_status' | 'first_detected' | 'resolved_at' | 'last_known_good_hash' | 'resolution_message'
> {
  const { drift_status: _engineStatus, source, ...rest } = result;
  return { ...rest, source: source ?? null, last_checked: now };
}

function makeEvent(
  record: DriftRecord,
  previous: DriftRecord | null,
  event: Transition,
  from: DriftStatus,
  now: string,
  source: Pick<DriftRecord, 'drift_type' | 'severity'>,
  message: string | null,
): DriftEvent {
  return {
    event_id: eventId(record.resource_id, event, previous?.last_checked ?? now, record.cluster),
    cluster: record.cluster,
    resource_id: record.resource_id,
    event,
    from_status: from,
    to_status: record.drift_status,
    time: now,
    drift_type: source.drift_type,
    severity: source.severity,
    kind: record.kind,
    namespace: record.namespace,
    source: record.source,
    message,
  };
}

function detected(
  previous: DriftRecord | null,
  from: DriftStatus,
  result: Verdict,
  now: string,
): TransitionOutcome {
  const record: DriftRecord = {
    ...base(result, now),
    drift_status: 'active',
    first_detected: now,
    resolved_at: null,
    last_known_good_hash: previous?.last_known_good_hash ?? null,
    resolution_message: null,
  };
  return {
    record,
    event: makeEvent(record, previous, 'detected', from, now, record, driftMessage(record.drift_details)),
  };
}

function stillDrifting(previous: DriftRecord | null, result: Verdict, now: string): TransitionOutcome {
  const record: DriftRecord = {
    ...base(result, now),
    drift_status: 'active',
    first_detected: previous?.first_detected ?? now,
    resolved_at: null,
    last_known_good_hash: previous?.last_known_good_hash ?? null,
    resolution_message: null,
  };
  const changed = driftSignature(previous?.drift_details ?? []) !== driftSignature(record.drift_details);
  const event = changed
    ? makeEvent(record, previous, 'updated', 'active', now, record, driftMessage(record.drift_details))
    : null;
  return { record, event };
}

/** The type and severity of the drift episode a resolved record closed. */
function episodeOf(previous: DriftRecord | null): Pick<DriftRecord, 'drift_type' | 'severity'> {
  return { drift_type: previous?.drift_type ?? null, severity: previous?.severity ?? null };
}

function resolved(previous: DriftRecord | null, result: Verdict, now: string): TransitionOutcome {
  const message = resolutionMessage(previous?.drift_details ?? []);
  const record: DriftRecord = {
    ...base(result, now),
    // A resolved record keeps the type and severity of the episode it closed (the verdict has none).
    ...episodeOf(previous),
    drift_status: 'resolved',
    first_detected: previous?.first_detected ?? null,
    resolved_at: now,
    last_known_good_hash: result.live_hash ?? previous?.last_known_good_hash ?? null,
    resolution_message: message,
  };
  // The event names the drift that ended, not the (empty) verdict that ended it.
  return {
    record,
    event: makeEvent(record, previous, 'resolved', 'active', now, episodeOf(previous), message),
  };
}

function inSync(
  previous: DriftRecord | null,
  from: DriftStatus,
  result: Verdict,
  now: string,
): TransitionOutcome {
  const wasResolved = from === 'resolved';
  const record: DriftRecord = {
    ...base(result, now),
    ...(wasResolved ? episodeOf(previous) : {}),
    drift_status: wasResolved ? 'resolved' : 'none',
    first_detected: wasResolved ? (previous?.first_detected ?? null) : null,
    resolved_at: wasResolved ? (previous?.resolved_at ?? null) : null,
    last_known_good_hash: result.live_hash ?? previous?.last_known_good_hash ?? null,
    resolution_message: wasResolved ? (previous?.resolution_message ?? null) : null,
  };
  return { record, event: null };
}
