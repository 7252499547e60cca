// A token bucket (QPS and burst, as client-go's rate limiter): dry-run requests take a token each,
// so a mass drift (a bad rollout, a policy change touching every object) cannot flood the API
// server. A request that finds the bucket empty waits its turn rather than going unconfirmed.

export interface BudgetOptions {
  /** Tokens added per second. */
  qps: number;
  /** Most tokens held at once: how many requests may go out together after a quiet spell. */
  burst: number;
}

export class RequestBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly opts: BudgetOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(opts.qps > 0) || !(opts.burst >= 1))
      throw new Error(
        `request budget: qps must be > 0 and burst ≥ 1 (got qps ${opts.qps}, burst ${opts.burst})`,
      );
    this.tokens = opts.burst;
    this.last = this.now();
  }

  /**
   * Milliseconds the caller must wait before its request may go out (0 = now). The token is
   * reserved at once, so callers queue in order and the bucket never lends more than qps allows.
   */
  reserve(): number {
    const t = this.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((t - this.last) / 1000) * this.opts.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.opts.qps) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
