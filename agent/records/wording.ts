// The human text stored on records and events: one line per drifted field, short enough for a
// table cell and a log line. Values are never secret here: the engine redacts Secret data before
// it reaches a DriftDetail.
import { REDACTED, summarizeDetail } from '../../shared/engine/index.ts';
import { describeValue, isAbsent } from '../../shared/describe.ts';
import type { DriftDetail, JsonValue } from '../../shared/types.ts';

const MAX_VALUE_CHARS = 40;
/** More fields than this are summarised as "… and N more" so a message stays one short line. */
const MAX_FIELDS = 3;

/** A value as shown in a message (shared/describe.ts), cut to a table cell's width. */
export function formatValue(value: JsonValue | undefined | null): string {
  return describeValue(value, MAX_VALUE_CHARS);
}

/**
 * The field's short name: the last path segment, keeping a list selector in front of it so
 * `spec.template.spec.containers[name=web].image` reads `containers[name=web].image` and
 * `spec.replicas` reads `replicas`.
 */
export function fieldName(path: string): string {
  const parts = path.split('.');
  const last = parts.at(-1) ?? path;
  const before = parts.at(-2);
  return before !== undefined && before.endsWith(']') ? `${before}.${last}` : last;
}

function who(detail: DriftDetail): string {
  return detail.manager ? ` by ${detail.manager}` : '';
}

/** What happened to one field while drifting: the engine's summary plus the manager, `replicas 3 → 5 (kubectl-scale)`. */
export function describeDrift(detail: DriftDetail): string {
  return detail.manager ? `${summarizeDetail(detail)} (${detail.manager})` : summarizeDetail(detail);
}

/**
 * How one field came back to Git: `replicas back to 3 (was 5 by kubectl-scale)`. A field that Git
 * does not set but the cluster had added reads `team removed (was ops by kubectl-label)`, one the
 * cluster had removed `team back to ops (was removed by kubectl-label)`; a Secret value reads
 * `password back in sync (changed by kubectl-edit)`. Absent is null (shared/describe.ts).
 */
export function describeResolution(detail: DriftDetail): string {
  if (detail.type === 'Missing') return 'present in the cluster again';
  if (detail.type === 'Unmanaged') return 'declared in Git now, or gone from the cluster';
  if (detail.type === 'Superseded') return 'left-over generator object gone';
  const name = fieldName(detail.path);
  // Secret values never appear, not even redacted placeholders in a sentence.
  if (detail.desired === REDACTED || detail.live === REDACTED)
    return `${name} back in sync${detail.manager ? ` (changed by ${detail.manager})` : ''}`;
  if (isAbsent(detail.desired)) return `${name} removed (was ${formatValue(detail.live)}${who(detail)})`;
  if (isAbsent(detail.live))
    return `${name} back to ${formatValue(detail.desired)} (was removed${who(detail)})`;
  return `${name} back to ${formatValue(detail.desired)} (was ${formatValue(detail.live)}${who(detail)})`;
}

/** Joins per-field texts with "; ", at most MAX_FIELDS of them, then "… and N more". */
export function joinFields(details: DriftDetail[], describe: (d: DriftDetail) => string): string | null {
  if (details.length === 0) return null;
  const shown = details.slice(0, MAX_FIELDS).map(describe).join('; ');
  const rest = details.length - MAX_FIELDS;
  return rest > 0 ? `${shown}; … and ${rest} more` : shown;
}

/** The resolution message of a record: how each field of the episode's last drift came back. */
export function resolutionMessage(details: DriftDetail[]): string {
  return joinFields(details, describeResolution) ?? 'back in sync with Git';
}

/** The message of a `detected`/`updated` event: what drifted now. */
export function driftMessage(details: DriftDetail[]): string | null {
  return joinFields(details, describeDrift);
}
