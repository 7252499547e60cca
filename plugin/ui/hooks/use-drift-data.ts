// Polls the agent for the list and the statistics. A failed poll keeps the last good data on
// screen and reports the error; the next successful poll clears it. An agent that stops answering
// (a port-forward whose pod is gone hangs rather than fails) is flagged once no poll has answered
// for two refresh periods, long before a request's own timeout.
import { useCallback, useEffect, useRef, useState } from 'react';
import { allPages } from '../../../shared/api/client.ts';
import type { RecordFilter } from '../../../shared/api/query.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import type { DriftRecord, DriftRecordList, Statistics } from '../../../shared/types.ts';
import { errorMessage, type UiClient } from '../client.ts';
import type { RecordMode } from '../state/ui-state.ts';

export interface DriftData {
  records: DriftRecord[] | null;
  stats: Statistics | null;
  error: string | null;
  updatedAt: number | null;
  /** Poll now (after an analysis) instead of waiting for the next tick. */
  refresh: () => void;
  /** Seconds the agent has not answered for (a poll outstanding that long), or null. */
  silentFor: number | null;
}

/**
 * Every page of the mode's records (the API answers 100 unless asked for more). The API has no
 * waived list: waived records are those of the whole list (`kubectl driftguard get`) in that status.
 */
export async function recordsOf(
  client: UiClient,
  mode: RecordMode,
  cluster: string | null = null,
): Promise<DriftRecordList> {
  const filter: RecordFilter = cluster === null ? {} : { cluster };
  if (mode === 'active') return allPages((f) => client.active(f), filter);
  if (mode === 'resolved') return allPages((f) => client.resolved(f), filter);
  const all = await allPages((f) => client.records(f), filter);
  const waived = all.drift_records.filter((r) => r.drift_status === 'waived');
  return { drift_records: waived, count: waived.length };
}

/** The agent answered but refused (an unknown cluster is a 404): its own words, not "unreachable". */
function failure(err: unknown): string {
  if (err instanceof ApiError && err.status !== null && err.status < 500) return errorMessage(err);
  return `agent unreachable or failing: ${errorMessage(err)}`;
}

export function useDriftData(
  client: UiClient,
  mode: RecordMode,
  refreshMs: number,
  cluster: string | null = null,
): DriftData {
  const [records, setRecords] = useState<DriftRecord[] | null>(null);
  const [stats, setStats] = useState<Statistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const [silentFor, setSilentFor] = useState<number | null>(null);
  /** Which list the rows on screen are (mode and cluster). */
  const shown = `${mode}|${cluster ?? ''}`;
  const shownList = useRef(shown);
  /** When the oldest unanswered poll started (a new tick does not restart it), or null. */
  const waitingSince = useRef<number | null>(null);

  useEffect(() => {
    const limit = Math.max(2 * refreshMs, 4000);
    const timer = setInterval(() => {
      const since = waitingSince.current;
      const silent =
        since !== null && Date.now() - since > limit ? Math.round((Date.now() - since) / 1000) : null;
      setSilentFor((prev) => (prev === silent ? prev : silent));
    }, 1000);
    return () => clearInterval(timer);
  }, [refreshMs]);

  useEffect(() => {
    let live = true;
    waitingSince.current ??= Date.now();
    const list = recordsOf(client, mode, cluster);
    Promise.all([list, client.statistics()]).then(
      ([l, s]) => {
        waitingSince.current = null;
        setSilentFor(null);
        if (!live) return;
        shownList.current = shown;
        setRecords(l.drift_records);
        setStats(s);
        setError(null);
        setUpdatedAt(Date.now());
      },
      (err: unknown) => {
        waitingSince.current = null;
        setSilentFor(null);
        if (!live) return;
        // Keep the old rows, unless they belong to another mode or cluster (they would be mislabelled).
        if (shownList.current !== shown) setRecords(null);
        setError(failure(err));
      },
    );
    const timer = setTimeout(() => setTick((t) => t + 1), refreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, mode, cluster, shown, refreshMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { records, stats, error, updatedAt, refresh, silentFor };
}
