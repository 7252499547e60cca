// How a record is laid out in MongoDB. The desired and live values of a drift detail are arbitrary
// JSON from Kubernetes objects, whose keys contain dots (`app.kubernetes.io/name`) and may start
// with `$`, and which may hold nested arrays: FerretDB v1 rejects all three in stored documents
// ("key must not contain '.' sign", "nested arrays are not supported"). So those two values are
// stored as JSON text; everything else stays a plain, queryable field.
import type { DriftDetail, DriftEvent, DriftRecord, ExplainedField, JsonValue } from '../../shared/types.ts';
import { DEFAULT_CLUSTER } from '../records/lifecycle.ts';

export interface StoredDetail extends Omit<DriftDetail, 'desired' | 'live'> {
  /** JSON text of `desired`; absent when the field is absent in Git. */
  desired_json?: string;
  /** JSON text of `live`; absent when the field is absent in the cluster. */
  live_json?: string;
}

/** An explained field (set on admission), its two values stored as JSON text like a detail's. */
export interface StoredExplained extends Omit<ExplainedField, 'desired' | 'live'> {
  desired_json?: string;
  live_json?: string;
}

export interface StoredRecord extends Omit<DriftRecord, 'drift_details' | 'explained'> {
  drift_details: StoredDetail[];
  explained?: StoredExplained[];
}

type Valued = { desired?: JsonValue | undefined; live?: JsonValue | undefined };
type Encoded<T> = Omit<T, 'desired' | 'live'> & { desired_json?: string; live_json?: string };

function encodeDetail<T extends Valued>(detail: T): Encoded<T> {
  const { desired, live, ...rest } = detail;
  const out: Encoded<T> = { ...rest };
  if (desired !== undefined) out.desired_json = JSON.stringify(desired);
  if (live !== undefined) out.live_json = JSON.stringify(live);
  return out;
}

function decodeDetail<T extends Valued>(stored: Encoded<T>): T {
  const { desired_json, live_json, ...rest } = stored;
  // Absent stays absent (not a key holding undefined), as in a JSON round trip.
  const out = { ...rest } as unknown as T;
  if (desired_json !== undefined) out.desired = JSON.parse(desired_json) as JsonValue;
  if (live_json !== undefined) out.live = JSON.parse(live_json) as JsonValue;
  return out;
}

export function encodeRecord(record: DriftRecord): StoredRecord {
  const { explained, ...rest } = record;
  return {
    ...rest,
    drift_details: record.drift_details.map((d) => encodeDetail(d)),
    ...(explained ? { explained: explained.map((e) => encodeDetail(e)) } : {}),
  };
}

/**
 * The `_id` of a record: its resource_id in the default cluster (the ids records always had), else
 * `<cluster>/<resource_id>` (a resource id never holds a `/`), so lookups need no scan on FerretDB
 * and two clusters' records of the same object never share a key.
 */
export function recordKey(cluster: string, resourceId: string): string {
  return cluster === DEFAULT_CLUSTER ? String(resourceId) : `${cluster}/${String(resourceId)}`;
}

export function recordDocument(record: DriftRecord): StoredRecord & { _id: string } {
  return { ...encodeRecord(record), _id: recordKey(record.cluster, record.resource_id) };
}

/** The stored event: keyed by `_id` = event_id, so a second write of it is a duplicate key. */
export function eventDocument(event: DriftEvent): DriftEvent & { _id: string } {
  return { ...event, _id: String(event.event_id) };
}

/**
 * The record of a stored document (its `_id`, if any, dropped). One copy of the document's fields
 * (a restart reads every record: 10,000 at once), its details decoded only when it has any.
 */
export function decodeRecord(stored: StoredRecord & { _id?: unknown }): DriftRecord {
  const { _id: _key, explained, ...rest } = stored;
  const record = rest as unknown as DriftRecord;
  const details = stored.drift_details ?? [];
  record.drift_details = details.length === 0 ? [] : details.map((d) => decodeDetail<DriftDetail>(d));
  if (explained) record.explained = explained.map((e) => decodeDetail<ExplainedField>(e));
  return record;
}
