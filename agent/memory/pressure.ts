// Whether the agent is near its container's memory limit (read from its cgroup): the process's
// RSS is what the OOM killer counts, the V8 heap is what grows with the objects held. Past a
// threshold of either the agent logs `memory_pressure` once (and `memory_recovered` when it falls
// back) and /ready names it, still ready: being near the limit is a warning to raise the limit
// (README "Sizing"), not a reason to stop serving.
import type { ComponentState } from '../../shared/types.ts';
import type { Logger } from '../log.ts';

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

export interface MemoryState {
  /** The container limit in bytes; null: none (the warning never fires). */
  limit: number | null;
  sample: MemorySample;
  /** Set while RSS or heap is past its threshold. */
  warning: string | null;
}

/** RSS past this share of the limit warns: what is left is GC headroom and buffers. */
export const RSS_SHARE = 0.85;
/** Heap past this share warns: V8 needs room above the live heap to collect and compact. */
export const HEAP_SHARE = 0.7;

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** The warning for one sample against a limit; null when below both thresholds or no limit. */
export function pressureWarning(limit: number | null, s: MemorySample): string | null {
  if (limit === null) return null;
  const past: string[] = [];
  if (s.rss >= limit * RSS_SHARE) past.push(`RSS ${mb(s.rss)}`);
  if (s.heapUsed >= limit * HEAP_SHARE) past.push(`heap ${mb(s.heapUsed)}`);
  if (past.length === 0) return null;
  return `${past.join(', ')} of the container's ${mb(limit)} memory limit: raise resources.limits.memory (README "Sizing") before it is OOMKilled`;
}

export interface MemoryWatchOptions {
  limit: number | null;
  log: Logger;
  sample?: () => MemorySample;
}

export class MemoryWatch {
  private warned = false;
  private readonly sample: () => MemorySample;

  constructor(private readonly opts: MemoryWatchOptions) {
    this.sample =
      opts.sample ?? (() => ({ rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed }));
  }

  /** Samples now; logs on each crossing of the thresholds (not on every sample). */
  check(): MemoryState {
    const sample = this.sample();
    const warning = pressureWarning(this.opts.limit, sample);
    if (warning && !this.warned)
      this.opts.log.warn(
        { event: 'memory_pressure', rss: sample.rss, heap_used: sample.heapUsed, limit: this.opts.limit },
        warning,
      );
    else if (!warning && this.warned)
      this.opts.log.info(
        { event: 'memory_recovered', rss: sample.rss, heap_used: sample.heapUsed, limit: this.opts.limit },
        'memory back below the warning thresholds',
      );
    this.warned = warning !== null;
    return { limit: this.opts.limit, sample, warning };
  }

  /** Samples every `everyMs` (unref'd: it never keeps the process alive). Returns the stop. */
  every(everyMs: number): () => void {
    const timer = setInterval(() => this.check(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** The `memory` component of /ready: always ready; its warning set while near the limit. */
export function memoryComponent(state: MemoryState): ComponentState {
  const usage = `RSS ${mb(state.sample.rss)}, heap ${mb(state.sample.heapUsed)}`;
  return {
    name: 'memory',
    ready: true,
    message:
      state.limit === null ? `${usage}; no container memory limit` : `${usage} of a ${mb(state.limit)} limit`,
    warning: state.warning,
  };
}
