// The number of active drifts over time, rebuilt backwards from the current count: each
// transition event changed the count by +1 (into active), -1 (out of active) or 0.
import type { DriftEvent } from '../../shared/types.ts';

export interface TrendPoint {
  time: string;
  active: number;
}

export interface TrendOptions {
  /** How far back the trend goes (default 24 h). */
  windowMs?: number;
  /** At most this many points (default 60); more events are sampled at even intervals. */
  maxPoints?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function delta(ev: DriftEvent): number {
  return (ev.to_status === 'active' ? 1 : 0) - (ev.from_status === 'active' ? 1 : 0);
}

/**
 * Points `{time, active}` oldest first: the count at the window's start, after each event in the
 * window, and now. With more events than `maxPoints` allows, the count is sampled at `maxPoints`
 * evenly spaced times instead. Counts never go below 0 (events of records deleted since then
 * could otherwise push the backwards walk negative).
 */
export function activeTrend(
  activeNow: number,
  events: DriftEvent[],
  now: string,
  opts: TrendOptions = {},
): TrendPoint[] {
  const nowMs = Date.parse(now);
  const startMs = nowMs - (opts.windowMs ?? DAY_MS);
  const maxPoints = Math.max(2, opts.maxPoints ?? 60);
  const inWindow = events
    .filter((e) => {
      const t = Date.parse(e.time);
      return t >= startMs && t <= nowMs;
    })
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // after[i] = active count right after event i; walking back from now.
  const after = new Array<number>(inWindow.length);
  let count = activeNow;
  for (let i = inWindow.length - 1; i >= 0; i--) {
    after[i] = count;
    count = Math.max(0, count - delta(inWindow[i] as DriftEvent));
  }
  const atStart = count;
  const start = new Date(startMs).toISOString();
  if (inWindow.length + 2 <= maxPoints) {
    return [
      { time: start, active: atStart },
      ...inWindow.map((e, i) => ({ time: e.time, active: after[i] ?? 0 })),
      { time: now, active: activeNow },
    ];
  }
  return sample(inWindow, after, atStart, startMs, nowMs, maxPoints);
}

function sample(
  events: DriftEvent[],
  after: number[],
  atStart: number,
  startMs: number,
  nowMs: number,
  points: number,
): TrendPoint[] {
  const out: TrendPoint[] = [];
  let next = 0;
  let current = atStart;
  for (let k = 0; k < points; k++) {
    const t = k === points - 1 ? nowMs : startMs + Math.round((k * (nowMs - startMs)) / (points - 1));
    while (next < events.length && Date.parse((events[next] as DriftEvent).time) <= t)
      current = after[next++] ?? current;
    out.push({ time: new Date(t).toISOString(), active: current });
  }
  return out;
}
