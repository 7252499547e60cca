// Polling, the one way the tests wait for something another process does. The deadline only
// guards against a hang: it is never a timing claim (speed belongs to `npm run bench`).

export interface PollOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Wait this long between tries (default 50 ms). */
  intervalMs?: number;
  /** More to say when giving up (the last state seen, say). */
  detail?: () => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it gives a value other than undefined, and returns it. A probe that throws
 * counts as "not yet"; its last error is named if the deadline passes.
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: PollOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = [
        `${what}: not within ${timeoutMs} ms`,
        ...(lastError !== undefined
          ? [`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`]
          : []),
        ...(options.detail ? [options.detail()] : []),
      ];
      throw new Error(why.join('; '));
    }
    await sleep(intervalMs);
  }
}

/** Polls until `check` holds. */
export async function untilTrue(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: PollOptions = {},
): Promise<void> {
  await until(what, async () => ((await check()) ? true : undefined), options);
}
