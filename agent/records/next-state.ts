// A verdict turned into the record's next state (lifecycle.ts's transition) and whether it must
// be stored. Unchanged records are not rewritten (see `shouldWrite`), so a full run over a quiet
// cluster costs reads and hashing, not 10,000 writes. Pure: the caller stores and announces.
import { canonicalJson } from '../../shared/engine/index.ts';
import type { DriftEvent, DriftRecord, DriftResult, JsonValue } from '../../shared/types.ts';
import { transition, type SourcedResult, type TransitionOutcome } from './lifecycle.ts';

/** What the next state depends on besides the verdict. */
export interface WritePolicy {
  /**
   * An unchanged record is still rewritten once its stored last_checked is this old, so
   * last_checked stays roughly fresh without a write per record per run. Spread per record
   * (see touchDue) so 10,000 records do not all come due in the same run.
   */
  touchAfterMs: number;
  /** The cluster stamped on every record and event (config kubernetes.cluster); default "default". */
  cluster?: string;
  /** Names who caused the drift (changed_by, from audit events; config audit). */
  attribute?: (record: DriftRecord, previous: DriftRecord | null) => DriftRecord;
  /** Applies the waivers in force (records/waivers.ts): an active drift a waiver covers is `waived`. */
  waive?: (next: TransitionOutcome, previous: DriftRecord | null, now: string) => TransitionOutcome;
  /** Flags a field field managers fight over (records/fights.ts), so its flips are notified once. */
  fight?: (next: TransitionOutcome, previous: DriftRecord | null, now: string) => TransitionOutcome;
}

export type StepOutcome = 'detected' | 'resolved' | 'updated' | 'written' | 'skipped' | 'removed';

/** A verdict turned into the record's next state; `write` says whether it must be stored. */
export interface RecordStep {
  outcome: StepOutcome;
  record: DriftRecord;
  event: DriftEvent | null;
  write: boolean;
}

/**
 * What makes a record worth rewriting: not the clock, and not its memo key alone (a new
 * resourceVersion with the same verdict is remembered in memory, not written; see VerdictMemo).
 * Key order does not count either: a record read back from MongoDB has its detail fields in
 * another order than the engine wrote them, and must not be rewritten for that after a restart.
 */
function withoutClock(r: DriftRecord): string {
  const { last_checked: _clock, verdict_key: _key, ...rest } = r;
  return canonicalJson(rest as JsonValue);
}

/** A stable 0..1 fraction per id, to spread the refresh of last_checked over time. */
function spread(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return (h % 1000) / 1000;
}

/** Per record (records are never changed in place), when its last_checked comes due, by interval. */
const dueAt = new WeakMap<DriftRecord, { after: number; at: number }>();
/** The last `now` parsed: a full run asks with one `now` for every record. */
let parsedNow = { text: '', ms: 0 };

export function touchDue(previous: DriftRecord, now: string, touchAfterMs: number): boolean {
  if (parsedNow.text !== now) parsedNow = { text: now, ms: Date.parse(now) };
  return parsedNow.ms >= touchAt(previous, touchAfterMs);
}

/** When the record's last_checked comes due for a rewrite (ms since the epoch). */
export function touchAt(record: DriftRecord, touchAfterMs: number): number {
  let due = dueAt.get(record);
  if (due?.after !== touchAfterMs) {
    const at = Date.parse(record.last_checked) + touchAfterMs * (0.5 + spread(record.resource_id) / 2);
    dueAt.set(record, (due = { after: touchAfterMs, at }));
  }
  return due.at;
}

export function shouldWrite(
  previous: DriftRecord | null,
  next: DriftRecord,
  now: string,
  touchAfterMs: number,
): boolean {
  if (!previous) return true;
  if (withoutClock(previous) !== withoutClock(next)) return true;
  return touchDue(previous, now, touchAfterMs);
}

/**
 * One verdict (the engine's, or an unmanaged object's) as the record's next state; `verdictKey`
 * (see analysis/memo.ts) is stored on the record when given.
 */
export function nextState(
  policy: WritePolicy,
  result: SourcedResult,
  previous: DriftRecord | null,
  now: string,
  verdictKey?: string,
): RecordStep {
  const raw = transition(previous, result, now, policy.cluster);
  const waived = policy.waive ? policy.waive(raw, previous, now) : raw;
  const next = policy.fight ? policy.fight(waived, previous, now) : waived;
  const { event } = next;
  const attributed = policy.attribute ? policy.attribute(next.record, previous) : next.record;
  const record = verdictKey === undefined ? attributed : { ...attributed, verdict_key: verdictKey };
  if (!event && !shouldWrite(previous, record, now, policy.touchAfterMs))
    return { outcome: 'skipped', record: previous ?? record, event: null, write: false };
  return { outcome: event ? event.event : 'written', record, event, write: true };
}

/** A record of an object no source declares (Unmanaged, Superseded, or one of those resolved). */
export function isUnmanagedRecord(r: DriftRecord): boolean {
  return r.desired_hash === null;
}

/** The verdict for an object that is no longer drift of any kind (undeclared, or left Git). */
export function noLongerDrifting(r: DriftRecord): DriftResult {
  return {
    resource_id: r.resource_id,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    api_version: r.api_version,
    drift_detected: false,
    drift_status: 'none',
    drift_type: null,
    severity: null,
    drift_details: [],
    desired_hash: null,
    live_hash: null,
    git_commit: r.git_commit,
    source_file: null,
  };
}
