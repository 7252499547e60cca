// One object through the pipeline: engine verdict → record life transition (analyzeStep), then,
// once the caller has stored it (a batch at a time, see Store.saveRecords), Events, notifications,
// metrics and log (announce). Unchanged records are not rewritten (see `shouldWrite`), so a full
// run over a quiet cluster costs reads and hashing, not 10,000 writes.
import { analyzeResource, canonicalJson, type EngineOptions } from '../../shared/engine/index.ts';
import type { DriftEvent, DriftRecord, JsonValue, KubeObject } from '../../shared/types.ts';
import type { EventSink } from '../kube/events.ts';
import type { Logger } from '../log.ts';
import type { DesiredEntry } from './scheduler.ts';
import type { AgentMetrics } from '../metrics.ts';
import { transition } from '../records/lifecycle.ts';
import type { Store } from '../store/store.ts';

export interface StepDeps {
  store: Store;
  metrics: AgentMetrics;
  log: Logger;
  engine: EngineOptions;
  /**
   * An unchanged record is still rewritten once its stored last_checked is this old, so
   * last_checked stays roughly fresh without a write per record per run. Spread per record
   * (see touchDue) so 10,000 records do not all come due in the same run.
   */
  touchAfterMs: number;
  /** The cluster stamped on every record and event (config kubernetes.cluster); default "default". */
  cluster?: string;
  /** Kubernetes Events on detected and resolved drift (config drift.events). */
  events?: EventSink;
  /** Told about each stored transition (the notification sinks). */
  notify?: (n: { event: DriftEvent; record: DriftRecord }) => void;
}

export type StepOutcome = 'detected' | 'resolved' | 'updated' | 'written' | 'skipped' | 'removed';

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

export function touchDue(previous: DriftRecord, now: string, touchAfterMs: number): boolean {
  const age = Date.parse(now) - Date.parse(previous.last_checked);
  return age >= touchAfterMs * (0.5 + spread(previous.resource_id) / 2);
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

/** The engine options for one entry: its source's unstable fields join the ignore rules. */
export function engineFor(engine: EngineOptions, entry: DesiredEntry): EngineOptions {
  if (!entry.ignore?.length) return engine;
  return { ...engine, rules: { ...engine.rules, ignore: [...(engine.rules.ignore ?? []), ...entry.ignore] } };
}

/** A verdict turned into the record's next state; `write` says whether it must be stored. */
export interface StepVerdict {
  outcome: StepOutcome;
  record: DriftRecord;
  event: DriftEvent | null;
  write: boolean;
}

/** Analyses one desired object against its live counterpart: the record's next state, not yet stored. */
export function analyzeStep(
  deps: StepDeps,
  entry: DesiredEntry,
  live: KubeObject | undefined,
  previous: DriftRecord | null,
  now: string,
  verdictKey?: string,
): StepVerdict {
  const result = analyzeResource(entry.desired, live, engineFor(deps.engine, entry), {
    gitCommit: entry.commit,
  });
  return decide(deps, { ...result, source: entry.source ?? null }, previous, now, verdictKey);
}

/** One verdict (the engine's, or an unmanaged object's) as the record's next state. */
export function decide(
  deps: StepDeps,
  result: Parameters<typeof transition>[1],
  previous: DriftRecord | null,
  now: string,
  verdictKey?: string,
): StepVerdict {
  const next = transition(previous, result, now, deps.cluster);
  const { event } = next;
  const record = verdictKey === undefined ? next.record : { ...next.record, verdict_key: verdictKey };
  if (!event && !shouldWrite(previous, record, now, deps.touchAfterMs))
    return { outcome: 'skipped', record: previous ?? record, event: null, write: false };
  return { outcome: event ? event.event : 'written', record, event, write: true };
}

/**
 * What follows a stored transition: the Kubernetes Event (`live` is its involved object), the
 * notification sinks, the metrics and the log line. Only after the write, so nothing announces a
 * transition the store does not hold.
 */
export function announce(
  deps: StepDeps,
  record: DriftRecord,
  event: DriftEvent | null,
  live?: KubeObject,
): void {
  if (!event) return;
  deps.events?.emit(record, event, live);
  deps.notify?.({ event, record });
  const fields = {
    resource_id: record.resource_id,
    kind: record.kind,
    namespace: record.namespace,
    type: event.drift_type,
    severity: event.severity,
    git_commit: record.git_commit,
    source: record.source,
    source_file: record.source_file,
  };
  if (event.event === 'detected') {
    deps.metrics.driftEvent('detected', event.drift_type, event.severity, record.kind);
    deps.log.warn({ event: 'drift_detected', ...fields }, event.message ?? 'drift detected');
  } else if (event.event === 'resolved') {
    deps.metrics.driftEvent('resolved', event.drift_type, event.severity, record.kind);
    deps.log.info({ event: 'drift_resolved', ...fields }, event.message ?? 'drift resolved');
  } else {
    deps.log.info({ event: 'drift_updated', ...fields }, event.message ?? 'drift changed');
  }
}
