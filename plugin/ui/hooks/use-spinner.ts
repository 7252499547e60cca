// A braille spinner frame that advances only while `active`, so an idle UI does not re-render.
import { useEffect, useState } from 'react';
import { SPINNER_FRAMES as FRAMES } from '../../output/progress.ts';

export function useSpinner(active: boolean, intervalMs = 100): string {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return FRAMES[frame] ?? FRAMES[0];
}
