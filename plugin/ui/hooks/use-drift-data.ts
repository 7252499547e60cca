// Polls the agent for the list and the statistics. A failed poll keeps the last good data on
// screen and reports the error; the next successful poll clears it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { allPages } from '../../../shared/api/client.ts';
import type { DriftRecord, Statistics } from '../../../shared/types.ts';
import { errorMessage, type UiClient } from '../client.ts';
import type { RecordMode } from '../state/ui-state.ts';

export interface DriftData {
  records: DriftRecord[] | null;
  stats: Statistics | null;
  error: string | null;
  updatedAt: number | null;
  /** Poll now (after an analysis) instead of waiting for the next tick. */
  refresh: () => void;
}

export function useDriftData(client: UiClient, mode: RecordMode, refreshMs: number): DriftData {
  const [records, setRecords] = useState<DriftRecord[] | null>(null);
  const [stats, setStats] = useState<Statistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const shownMode = useRef(mode);

  useEffect(() => {
    let live = true;
    // Every page: the API answers 100 records unless asked for more.
    const list = allPages((f) => (mode === 'active' ? client.active(f) : client.resolved(f)));
    Promise.all([list, client.statistics()]).then(
      ([l, s]) => {
        if (!live) return;
        shownMode.current = mode;
        setRecords(l.drift_records);
        setStats(s);
        setError(null);
        setUpdatedAt(Date.now());
      },
      (err: unknown) => {
        if (!live) return;
        // Keep the old rows, unless they belong to the other mode (they would be mislabelled).
        if (shownMode.current !== mode) setRecords(null);
        setError(`agent unreachable or failing: ${errorMessage(err)}`);
      },
    );
    const timer = setTimeout(() => setTick((t) => t + 1), refreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, mode, refreshMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { records, stats, error, updatedAt, refresh };
}
