// At most `limit` of the given tasks in flight at once, their results in the tasks' order. The
// ids of a batch whose verdict awaits something (a confirm dry-run, a store write) wait together
// rather than one after another: 100 new drifts cost the confirm budget's time, not 100 round trips.

/** Runs `run` on every item with at most `limit` pending; results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i] as T, i);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
