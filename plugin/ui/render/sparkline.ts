// A one-line chart of active drifts over time (statistics().trend), scaled to the tallest point.
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The last `width` values as bars; an all-zero series stays flat at the lowest bar. */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0 || values.length === 0) return '';
  const shown = values.slice(-width);
  const max = Math.max(...shown);
  return shown
    .map((v) => {
      if (max <= 0 || !Number.isFinite(v) || v <= 0) return BARS[0];
      const index = Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)));
      return BARS[index];
    })
    .join('');
}
