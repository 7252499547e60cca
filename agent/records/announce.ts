// What follows a stored transition: the Kubernetes Event, the notification sinks, the metrics and
// the log line. Called only after the write, so nothing announces a transition the store does not hold.
import type { DriftEvent, DriftRecord, KubeObject } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import type { AgentMetrics } from '../metrics.ts';
import { quietInFight } from './fights.ts';
import { NO_SOURCE, timeToResolveSeconds } from './slo.ts';

/** Where Kubernetes Events about transitions go (kube/events.ts's EventRecorder). */
export interface EventSink {
  emit(record: DriftRecord, event: DriftEvent, live: KubeObject | undefined): void;
}

export interface AnnounceDeps {
  metrics: AgentMetrics;
  log: Logger;
  /** Kubernetes Events on detected and resolved drift (config drift.events). */
  events?: EventSink;
  /** Told about each stored transition (the notification sinks). */
  notify?: (n: { event: DriftEvent; record: DriftRecord }) => void;
  /**
   * With audit events (config audit): the Event and notifications of a drift wait, briefly, for
   * its audit event, so they name the person (see audit/attribution.ts).
   */
  audit?: { whenKnown(record: DriftRecord, tell: (record: DriftRecord) => void): void };
}

/** Announces one stored transition; `live` is the involved object of its Kubernetes Event. */
export function announce(
  deps: AnnounceDeps,
  record: DriftRecord,
  event: DriftEvent | null,
  live?: KubeObject,
): void {
  if (!event) return;
  const tell = (r: DriftRecord): void => {
    deps.events?.emit(r, event, live);
    deps.notify?.({ event, record: r });
  };
  // A fight's later flips stay in the history and the log: its one notification was when it was flagged.
  if (quietInFight(record, event))
    deps.log.debug({ event: 'fight_flip', resource_id: record.resource_id }, 'flip in a known fight');
  else if (deps.audit && event.event !== 'resolved') deps.audit.whenKnown(record, tell);
  else tell(record);
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
    const open = timeToResolveSeconds(record);
    if (open !== null) deps.metrics.observeResolved(event.severity, record.source ?? NO_SOURCE, open);
    deps.log.info({ event: 'drift_resolved', ...fields }, event.message ?? 'drift resolved');
  } else {
    deps.log.info({ event: 'drift_updated', ...fields }, event.message ?? 'drift changed');
  }
}
