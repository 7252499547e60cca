// What a sink receives for one drift transition, and whether it wants it: pure functions of the
// event, its record and the sink's config. Values come from the record's drift details, which the
// engine has already redacted (Secret values are `(redacted)`), and are redacted again here.
import { glob, REDACTED } from '../../shared/engine/index.ts';
import { SEVERITY_RANK, type DriftDetail, type DriftEvent, type DriftRecord } from '../../shared/types.ts';
import { changedByText } from '../../shared/changed-by.ts';
import type { SinkConfig } from '../config/schema.ts';

export interface Notification {
  event: DriftEvent;
  record: DriftRecord;
}

/** Every filter the sink gives must match. A resolved event is judged by the drift it resolves. */
export function wanted(sink: SinkConfig, n: Notification): boolean {
  const { event, record } = n;
  const severity = event.severity ?? record.severity;
  const type = event.drift_type ?? record.drift_type;
  if (sink.events && !sink.events.includes(event.event)) return false;
  if (severity && SEVERITY_RANK[severity] < SEVERITY_RANK[sink.min_severity]) return false;
  if (sink.namespaces && !sink.namespaces.includes(record.namespace)) return false;
  if (sink.kinds && !sink.kinds.includes(record.kind)) return false;
  if (sink.types && (type === null || !sink.types.includes(type))) return false;
  if (sink.sources && !sink.sources.some((p) => record.source_file !== null && glob(p, record.source_file)))
    return false;
  return true;
}

function safeDetail(kind: string, d: DriftDetail): DriftDetail {
  if (kind !== 'Secret' || !/^(data|stringData|binaryData)(\.|\[|$)/.test(d.path)) return d;
  const hide = (v: DriftDetail['desired']) => (v === null || v === undefined ? v : REDACTED);
  return { ...d, desired: hide(d.desired), live: hide(d.live) };
}

/** The generic webhook body (also CloudEvents' `data`). */
export function webhookBody(n: Notification): Record<string, unknown> {
  const { event, record } = n;
  return {
    event: event.event,
    event_id: event.event_id,
    time: event.time,
    cluster: record.cluster,
    resource_id: record.resource_id,
    kind: record.kind,
    namespace: record.namespace,
    name: record.name,
    drift_status: event.to_status,
    drift_type: event.drift_type,
    severity: event.severity,
    message: event.message,
    git_commit: record.git_commit,
    source_file: record.source_file,
    first_detected: record.first_detected,
    resolved_at: record.resolved_at,
    drift_details: record.drift_details.map((d) => safeDetail(record.kind, d)),
    ...(record.changed_by ? { changed_by: record.changed_by } : {}),
    ...(record.fight ? { fight: record.fight } : {}),
  };
}

/** CloudEvents 1.0, structured content mode (`application/cloudevents+json`). */
export function cloudEvent(n: Notification): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: n.event.event_id,
    source: '/driftguard/agent',
    type: `io.driftguard.drift.${n.event.event}`,
    subject: n.record.resource_id,
    time: n.event.time,
    datacontenttype: 'application/json',
    data: webhookBody(n),
  };
}

const ICON = { detected: ':warning:', updated: ':pencil2:', resolved: ':white_check_mark:' } as const;

/** A Slack incoming-webhook message: `text` (the fallback) and blocks. */
export function slackMessage(n: Notification): Record<string, unknown> {
  const { event, record } = n;
  const what =
    event.event === 'resolved' ? 'resolved' : `${event.drift_type ?? 'drift'} (${event.severity ?? '-'})`;
  const text = `${ICON[event.event]} ${record.kind} ${record.namespace ? `${record.namespace}/` : ''}${record.name}: drift ${event.event === 'resolved' ? 'resolved' : event.event} — ${event.message ?? what}`;
  const context = [
    `*${what}*`,
    record.source_file ? `\`${record.source_file}\`` : 'not in Git',
    record.git_commit ? `commit \`${record.git_commit.slice(0, 12)}\`` : null,
    record.changed_by && event.event !== 'resolved' ? changedByText(record.changed_by) : null,
  ].filter((x): x is string => x !== null);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
    ],
  };
}

export function body(sink: SinkConfig, n: Notification): { contentType: string; json: unknown } {
  if (sink.type === 'cloudevents')
    return { contentType: 'application/cloudevents+json; charset=utf-8', json: cloudEvent(n) };
  if (sink.type === 'slack') return { contentType: 'application/json', json: slackMessage(n) };
  return { contentType: 'application/json', json: webhookBody(n) };
}
