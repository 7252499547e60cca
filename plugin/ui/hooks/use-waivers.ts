// The waivers for `:waivers`, polled while it is open; a failed poll keeps the last list and says why.
import { useCallback, useEffect, useState } from 'react';
import type { Waiver } from '../../../shared/types.ts';
import { errorMessage, type UiClient } from '../client.ts';
import { waiverOrder } from '../render/waiver-row.ts';

export function useWaivers(
  client: UiClient,
  open: boolean,
  refreshMs: number,
): { waivers: Waiver[] | null; error: string | null; refresh: () => void } {
  const [waivers, setWaivers] = useState<Waiver[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!open) return;
    let live = true;
    client.waivers().then(
      (l) => {
        if (!live) return;
        setWaivers(waiverOrder(l.waivers));
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(`waivers: ${errorMessage(err)}`);
      },
    );
    const timer = setTimeout(() => setTick((t) => t + 1), refreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, open, refreshMs, tick]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { waivers, error, refresh };
}
