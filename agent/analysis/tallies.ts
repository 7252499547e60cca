// The drift gauges' tallies, kept as records change (not recounted from the store per change):
// how many records, which are active drifts (severity, type, source, since when) and which are
// active Unmanaged ones, and coverage (live objects by the source that declares them).
import type { DriftRecord, DriftType, Severity } from '../../shared/types.ts';
import type { AgentMetrics } from '../metrics.ts';
import { driftScoreOf } from '../records/statistics.ts';
import { isUnmanagedRecord } from '../records/next-state.ts';
import { CoverageTally, activeDrift, sloGroups, type ActiveDrift } from '../records/slo.ts';

type Drifting = ActiveDrift & { type: DriftType | null };

export class Tallies {
  /** counted: coverage is exported (drift.unmanaged: report; otherwise undeclared objects are unknown). */
  constructor(private readonly coverageCounted = true) {}

  private recordCount = 0;
  private readonly drifting = new Map<string, Drifting>();
  private readonly coverage = new CoverageTally();
  private readonly waived = new Map<string, Severity>();
  /** Ids whose record is an active Unmanaged / Superseded one: a delete or a Git change looks again. */
  private readonly unmanaged = new Set<string>();

  get unmanagedActive(): ReadonlySet<string> {
    return this.unmanaged;
  }

  /** Rebuilds the tallies from every record (at the start of a full run). */
  recount(records: readonly DriftRecord[]): void {
    this.recordCount = records.length;
    this.drifting.clear();
    this.unmanaged.clear();
    this.coverage.reset();
    this.waived.clear();
    for (const r of records) this.tally(r.resource_id, null, r, false);
  }

  /** How many records, and how many of them are active drifts. */
  totals(): { records: number; drifted: number } {
    return { records: this.recordCount, drifted: this.drifting.size };
  }

  /** Forgets everything (a replica that stops leading). */
  reset(): void {
    this.drifting.clear();
    this.coverage.reset();
    this.unmanaged.clear();
    this.waived.clear();
    this.recordCount = 0;
  }

  /** One id's record went from `before` to `after` (null: none). */
  tally(id: string, before: DriftRecord | null, after: DriftRecord | null, count = true): void {
    if (count) this.recordCount += (after ? 1 : 0) - (before ? 1 : 0);
    if (after?.drift_status === 'active')
      this.drifting.set(id, {
        ...activeDrift(after, Date.parse(after.last_checked)),
        type: after.drift_type,
      });
    else this.drifting.delete(id);
    this.coverage.move(before, after);
    if (after?.drift_status === 'waived') this.waived.set(id, after.severity ?? 'low');
    else this.waived.delete(id);
    if (after?.drift_status === 'active' && isUnmanagedRecord(after)) this.unmanaged.add(id);
    else this.unmanaged.delete(id);
  }

  /** The drift gauges (the watched-objects gauge is set when /metrics is scraped). */
  publish(metrics: AgentMetrics): void {
    const active: Partial<Record<Severity, number>> = {};
    const byType: Partial<Record<DriftType, number>> = {};
    for (const { severity, type } of this.drifting.values()) {
      active[severity] = (active[severity] ?? 0) + 1;
      if (type) byType[type] = (byType[type] ?? 0) + 1;
    }
    const severities = [...this.drifting.values()].map((d) => d.severity);
    metrics.setDriftState(active, driftScoreOf(severities, this.recordCount), byType);
    const waived: Partial<Record<Severity, number>> = {};
    for (const s of this.waived.values()) waived[s] = (waived[s] ?? 0) + 1;
    metrics.setWaived(waived);
    metrics.setSlo({
      groups: sloGroups(this.drifting.values()),
      coverage: this.coverageCounted ? this.coverage.objects() : null,
    });
  }
}
