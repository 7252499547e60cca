// The drift SLO figures the agent exports (issue 27): per severity and source, how many drifts
// are active and since when the oldest one is; and coverage, the share of the live objects in
// tracked namespaces that a source declares. Pure tallies over record transitions: the scheduler
// moves each record from its previous to its next state, and the metrics read a snapshot.
import type { DriftRecord, Severity } from '../../shared/types.ts';

/** The `source` label of a drift no source declares (an Unmanaged or Superseded object). */
export const NO_SOURCE = 'none';
/** The source of a tracked record stored before sources existed (the `git:` section's name). */
const DEFAULT_SOURCE = 'default';

/** What the SLO figures keep of one active drift. */
export interface ActiveDrift {
  severity: Severity;
  source: string;
  /** first_detected, in ms since the epoch. */
  since: number;
}

/** One (severity, source) pair with active drift. */
export interface SloGroup {
  severity: Severity;
  source: string;
  active: number;
  /** first_detected of the oldest of them, in ms since the epoch. */
  oldest: number;
}

export function activeDrift(r: DriftRecord, fallbackSince: number): ActiveDrift {
  const since = r.first_detected ? Date.parse(r.first_detected) : Number.NaN;
  return {
    severity: r.severity ?? 'low',
    source: r.source ?? NO_SOURCE,
    since: Number.isNaN(since) ? fallbackSince : since,
  };
}

/** Groups the active drifts by severity and source, in a stable order. */
export function sloGroups(drifts: Iterable<ActiveDrift>): SloGroup[] {
  const groups = new Map<string, SloGroup>();
  for (const d of drifts) {
    const key = `${d.severity}\0${d.source}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { severity: d.severity, source: d.source, active: 1, oldest: d.since });
    else {
      g.active++;
      if (d.since < g.oldest) g.oldest = d.since;
    }
  }
  return [...groups.values()].sort(
    (a, b) => a.source.localeCompare(b.source) || a.severity.localeCompare(b.severity),
  );
}

/**
 * Seconds from first detection to resolution of a resolved record; null when either time is
 * missing or they are out of order (a record stored before first_detected existed).
 */
export function timeToResolveSeconds(r: DriftRecord): number | null {
  if (!r.first_detected || !r.resolved_at) return null;
  const s = (Date.parse(r.resolved_at) - Date.parse(r.first_detected)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : null;
}

/**
 * Where a record counts in coverage: the source that declares a live object (every tracked
 * record except an active Missing one), NO_SOURCE for an active Unmanaged or Superseded record (a
 * live object in a tracked namespace that no source declares and nothing owns), null for neither.
 * Objects the cluster or a controller makes have no record and are not counted.
 */
export function coverageSide(r: DriftRecord | null): string | null {
  if (!r) return null;
  const unmanaged = r.desired_hash === null;
  if (unmanaged) return r.drift_status === 'active' ? NO_SOURCE : null;
  if (r.drift_status === 'active' && r.drift_type === 'Missing') return null;
  return r.source ?? DEFAULT_SOURCE;
}

/** Live objects per coverage side, kept up to date as records change (see coverageSide). */
export class CoverageTally {
  private readonly counts = new Map<string, number>();

  reset(): void {
    this.counts.clear();
  }

  move(before: DriftRecord | null, after: DriftRecord | null): void {
    const from = coverageSide(before);
    const to = coverageSide(after);
    if (from === to) return;
    if (from !== null) {
      const n = (this.counts.get(from) ?? 0) - 1;
      if (n > 0) this.counts.set(from, n);
      else this.counts.delete(from);
    }
    if (to !== null) this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
  }

  /** Live objects by the source that declares them (NO_SOURCE: none does). */
  objects(): Map<string, number> {
    return new Map(this.counts);
  }
}
