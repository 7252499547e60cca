// An analysis's status (AnalysisStatus, the API's /analyses/{id}): made, counted and finished
// here only, and the recent ones the API can look up by id (the newest `limit` kept, oldest dropped).
import { randomUUID } from 'node:crypto';
import type { AnalysisStatus } from '../../shared/types.ts';

export type Counts = Pick<AnalysisStatus, 'resources' | 'drifted' | 'detected' | 'resolved'>;

export function emptyCounts(): Counts {
  return { resources: 0, drifted: 0, detected: 0, resolved: 0 };
}

/** A new analysis, running since `now`. */
export function runningStatus(trigger: AnalysisStatus['trigger'], now: string): AnalysisStatus {
  return {
    analysis_id: randomUUID(),
    status: 'running',
    trigger,
    started_at: now,
    finished_at: null,
    ...emptyCounts(),
    error: null,
  };
}

/** The answer to a trigger on a follower: failed at once (a follower has no analyses). */
export function notLeaderStatus(trigger: AnalysisStatus['trigger'], now: string): AnalysisStatus {
  return {
    ...runningStatus(trigger, now),
    status: 'failed',
    finished_at: now,
    error: 'not the leader: another replica analyses',
  };
}

/** Ends `status` with its counts: completed, or failed with `error`. */
export function finishStatus(
  status: AnalysisStatus,
  counts: Counts,
  error: string | null,
  now: string,
): void {
  Object.assign(status, {
    resources: counts.resources,
    drifted: counts.drifted,
    detected: counts.detected,
    resolved: counts.resolved,
  });
  status.status = error ? 'failed' : 'completed';
  status.error = error;
  status.finished_at = now;
}

/** Adds a write failure to the status's error (several batches may fail in one run). */
export function addError(status: AnalysisStatus, error: string): void {
  status.error = status.error ? `${status.error}; ${error}` : error;
}

export class StatusLog {
  private readonly statuses = new Map<string, AnalysisStatus>();

  constructor(private readonly limit = 100) {}

  add(status: AnalysisStatus): void {
    this.statuses.set(status.analysis_id, status);
    while (this.statuses.size > this.limit) {
      const oldest = this.statuses.keys().next().value;
      if (oldest === undefined) break;
      this.statuses.delete(oldest);
    }
  }

  get(id: string): AnalysisStatus | undefined {
    const s = this.statuses.get(id);
    return s ? { ...s } : undefined;
  }
}
