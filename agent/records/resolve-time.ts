// Mean time to resolve: over every resolved episode, the time from the `detected` event that
// opened it to the `resolved` event that closed it.
import type { DriftEvent, DriftRecord } from '../../shared/types.ts';

function byTime(a: DriftEvent, b: DriftEvent): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

/** Durations in seconds, keyed `<resource_id>|<resolved time>` so each episode counts once. */
function episodesFromEvents(events: DriftEvent[]): Map<string, number> {
  const open = new Map<string, string>();
  const durations = new Map<string, number>();
  for (const ev of [...events].sort(byTime)) {
    if (ev.event === 'detected') open.set(ev.resource_id, ev.time);
    if (ev.event !== 'resolved') continue;
    const start = open.get(ev.resource_id);
    open.delete(ev.resource_id);
    if (start !== undefined)
      durations.set(`${ev.resource_id}|${ev.time}`, (Date.parse(ev.time) - Date.parse(start)) / 1000);
  }
  return durations;
}

/**
 * Mean seconds to resolve, or null when no episode was resolved. Episodes whose `detected` event is
 * outside the events given (the caller may pass a window) still count through the record itself
 * when it is resolved now: its first_detected and resolved_at bound its last episode.
 */
export function meanTimeToResolveSeconds(records: DriftRecord[], events: DriftEvent[]): number | null {
  const durations = episodesFromEvents(events);
  for (const r of records) {
    if (r.drift_status !== 'resolved' || !r.first_detected || !r.resolved_at) continue;
    const key = `${r.resource_id}|${r.resolved_at}`;
    if (!durations.has(key))
      durations.set(key, (Date.parse(r.resolved_at) - Date.parse(r.first_detected)) / 1000);
  }
  if (durations.size === 0) return null;
  let sum = 0;
  for (const d of durations.values()) sum += d;
  return Math.round((sum / durations.size) * 1000) / 1000;
}
