// The agent's log: one JSON line per event (pino), each with an `event` name and, for drift, the
// resource id, drift type and severity. `pretty` renders the same lines for a person at a terminal.
// Never pass raw Kubernetes objects here: the redaction below is a safety net, not the plan.
import { pino, type ChildLoggerOptions, type Logger as PinoLogger } from 'pino';
import type { LoggingConfig } from './config/schema.ts';

/** One log line's fields: its event (one of LogEvent, so the names are declared once) and the rest. */
export type LogFields = { event: LogEvent; [field: string]: unknown };

type LogMethod = (fields: LogFields, message?: string) => void;

/** pino's logger, with every line named by a declared event. */
export interface Logger extends Omit<
  PinoLogger,
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child'
> {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  child(bindings: Record<string, unknown>, options?: ChildLoggerOptions): Logger;
}

export type LogEvent =
  | 'agent_started'
  | 'agent_ready'
  | 'shutdown'
  | 'config_invalid'
  | 'drift_detected'
  | 'drift_resolved'
  | 'drift_updated'
  | 'record_removed'
  | 'analysis_started'
  | 'analysis_completed'
  | 'analysis_failed'
  | 'git_synced'
  | 'git_sync_failed'
  | 'git_parse_error'
  | 'git_recovered'
  | 'git_cache_ignored'
  | 'git_cache_unwritable'
  | 'watch_synced'
  | 'watch_error'
  | 'watch_restarted'
  | 'store_write_failed'
  | 'store_recovered'
  | 'store_loaded'
  | 'store_snapshot_kept'
  | 'server_listening'
  | 'memory_pressure'
  | 'memory_recovered'
  | 'watch_list_unsupported'
  | 'watch_relist'
  | 'watch_version'
  | 'resource_type_unresolved'
  | 'discovery_failed'
  | 'crd_read_failed'
  | 'hpa_read_failed'
  | 'openapi_read_failed'
  | 'permission_check_failed'
  | 'permission_denied'
  | 'confirm_permission_denied'
  | 'permission_granted'
  | 'leader_elected'
  | 'leader_lost'
  | 'leader_election_error'
  | 'leader_release_failed'
  | 'kube_event_failed'
  | 'source_rendered'
  | 'render_failed'
  | 'render_recovered'
  | 'helm_release_synced'
  | 'helm_release_gone'
  | 'render_unstable'
  | 'render_warning'
  | 'notification_sent'
  | 'notification_failed'
  | 'notification_dropped'
  | 'fight_flip'
  | 'waiver_saved'
  | 'waivers_unreadable'
  | 'audit_log_unreadable'
  | 'spawn_failed'
  | 'api_request_failed'
  | 'store_unavailable'
  | 'sources_discovered'
  | 'sources_from_failed';

const MARKERS: Record<string, string> = {
  high: '🔴',
  medium: '🟠',
  low: '🟡',
  resolved: '✅',
  error: '❌',
  warn: '⚠️ ',
};
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'event', 'resource_id', 'type', 'severity']);

function marker(line: Record<string, unknown>, level: string): string {
  if (line['event'] === 'drift_resolved') return MARKERS['resolved'] ?? '';
  if (typeof line['severity'] === 'string' && line['severity'] in MARKERS)
    return MARKERS[line['severity']] ?? '';
  if (level === 'error' || level === 'fatal') return MARKERS['error'] ?? '';
  if (level === 'warn') return MARKERS['warn'] ?? '';
  return '  ';
}

/** One JSON log line → one human line: time, marker, event, resource, type/severity, message, extras. */
export function formatPretty(json: string): string {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = LEVELS[Number(line['level'])] ?? 'info';
  const time = typeof line['time'] === 'number' ? new Date(line['time']).toISOString().slice(11, 23) : '';
  const parts = [time, marker(line, level), String(line['event'] ?? level)];
  if (line['resource_id']) parts.push(String(line['resource_id']));
  if (line['type'] || line['severity'])
    parts.push(`[${[line['type'], line['severity']].filter(Boolean).join(' ')}]`);
  if (line['msg']) parts.push(`— ${String(line['msg'])}`);
  const extras = Object.entries(line)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (extras.length > 0) parts.push(`(${extras.join(' ')})`);
  return `${parts.join(' ')}\n`;
}

export interface LogSink {
  write(text: string): void;
}

/** A logger writing JSON lines (or pretty lines) to `sink` (default stdout). */
export function createLogger(config: LoggingConfig, sink: LogSink = process.stdout): Logger {
  const destination =
    config.format === 'pretty' ? { write: (line: string) => sink.write(formatPretty(line)) } : sink;
  return pino(
    {
      level: config.level,
      base: undefined,
      // Safety net in case an object slips into a log call: Secret payloads and credentials.
      redact: {
        paths: [
          'data',
          'stringData',
          '*.data',
          '*.stringData',
          'password',
          'token',
          'authorization',
          '*.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  ) as unknown as Logger;
}
