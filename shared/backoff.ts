// The one retry pacing: exponential backoff with jitter. Every retry loop (the resilient store's
// write queue, the watches' restarts, the scheduler's record reads, and whatever retries next) asks
// a Backoff for its next delay and resets it after a success. Jitter takes up to `jitter` of each
// delay away, never adds to it: agents restarted together stop retrying in lockstep, and no wait is
// longer than the bound the caller configured.

export interface BackoffOptions {
  /** The first delay. */
  initialMs: number;
  /** The delay stops growing here. */
  maxMs: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Share of each delay that may be taken away at random, 0..1 (default 0.2). */
  jitter?: number;
  /** Uniform in [0, 1); injectable so tests can pin it. */
  random?: () => number;
}

export class Backoff {
  private base: number;

  constructor(private readonly opts: BackoffOptions) {
    if (!(opts.initialMs > 0 && opts.maxMs >= opts.initialMs))
      throw new RangeError(`backoff: need 0 < initialMs <= maxMs (got ${opts.initialMs}, ${opts.maxMs})`);
    this.base = opts.initialMs;
  }

  /** The delay before the next attempt (jittered); the one after it grows, up to maxMs. */
  next(): number {
    const jitter = Math.min(Math.max(this.opts.jitter ?? 0.2, 0), 1);
    const delay = Math.round(this.base * (1 - jitter * (this.opts.random ?? Math.random)()));
    this.base = Math.min(this.base * (this.opts.factor ?? 2), this.opts.maxMs);
    return delay;
  }

  /** The un-jittered delay `next` will start from (for logs). */
  get currentMs(): number {
    return this.base;
  }

  /** After a success: the next failure waits initialMs again. */
  reset(): void {
    this.base = this.opts.initialMs;
  }
}
