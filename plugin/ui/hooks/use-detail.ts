// The detail view's data: the record itself and its history, fetched when the view opens and on
// each refresh, so a drift that resolves while open shows its resolution; another cluster's by
// `?cluster=` (agents sharing the agent's database).
import { useEffect, useState } from 'react';
import type { DriftEvent, DriftRecord } from '../../../shared/types.ts';
import { errorMessage, type UiClient } from '../client.ts';

export interface DetailData {
  record: DriftRecord | null;
  history: DriftEvent[] | null;
  error: string | null;
}

export function useDetail(
  client: UiClient,
  resourceId: string | null,
  known: DriftRecord | null,
  refreshMs: number,
  /** Whose record: null = the agent's own cluster. */
  cluster: string | null = null,
): DetailData {
  const [record, setRecord] = useState<DriftRecord | null>(known);
  const [history, setHistory] = useState<DriftEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // Only a change of resource resets (during render, so the old resource's data is never drawn
  // under the new one's title); `known` updates ride along with the polls below.
  const shown = resourceId === null ? null : `${cluster ?? ''}/${resourceId}`;
  const [shownId, setShownId] = useState(shown);
  if (shownId !== shown) {
    setShownId(shown);
    setRecord(known);
    setHistory(null);
    setError(null);
  }

  useEffect(() => {
    if (!resourceId) return;
    let live = true;
    const address = cluster === null ? {} : { cluster };
    Promise.all([client.record(resourceId, address), client.history(resourceId, address)]).then(
      ([r, h]) => {
        if (!live) return;
        setRecord(r);
        setHistory(h.events);
        setError(null);
      },
      (err: unknown) => live && setError(`cannot load ${resourceId}: ${errorMessage(err)}`),
    );
    const timer = setTimeout(() => setTick((t) => t + 1), refreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, resourceId, cluster, refreshMs, tick]);

  return { record, history, error };
}
