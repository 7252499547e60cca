// One-line human text for a drift detail, shared by tables and the agent's resolution messages.
import { describePair, describeValue, isAbsent } from '../describe.ts';
import type { DriftDetail, DriftResult, JsonValue } from '../types.ts';
import { REDACTED } from './secrets.ts';

const MAX = 60;
const fmt = (v: JsonValue | undefined): string => describeValue(v, MAX);

/** Short field name for the common cases (`replicas`, `image`), otherwise the full path. */
function label(path: string): string {
  if (path === 'spec.replicas') return 'replicas';
  if (/\]\.image$/.test(path)) return 'image';
  return path;
}

/** e.g. "replicas 3 → 5", "image nginx:1.25 → nginx:1.26", "data.password changed", "metadata.labels.team added (x)". */
export function summarizeDetail(d: DriftDetail): string {
  if (d.type === 'Missing') return 'missing from the cluster';
  if (d.type === 'Unmanaged') return 'not declared in Git';
  if (d.type === 'Superseded') return `left over; Git declares ${fmt(d.desired)}`;
  const name = label(d.path);
  const absentD = isAbsent(d.desired);
  const absentL = isAbsent(d.live);
  if (d.desired === REDACTED || d.live === REDACTED) {
    if (absentD) return `${name} added`;
    if (absentL) return `${name} removed`;
    return `${name} changed`;
  }
  if (absentD) return `${name} added (${fmt(d.live)})`;
  if (absentL) return `${name} removed (was ${fmt(d.desired)})`;
  const [desired, live] = describePair(d.desired, d.live, MAX);
  return `${name} ${desired} → ${live}`;
}

/** One line for a whole result: its first details, or its status. */
export function summarizeResult(r: DriftResult, maxDetails = 2): string {
  if (!r.drift_detected) return 'in sync';
  if (r.drift_type === 'Missing') return 'missing from the cluster';
  const parts = r.drift_details.slice(0, maxDetails).map(summarizeDetail);
  const more = r.drift_details.length - parts.length;
  return more > 0 ? `${parts.join('; ')} (+${more} more)` : parts.join('; ');
}
