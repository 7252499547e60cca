import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapBounded } from './bounded.ts';

describe('mapBounded', () => {
  it('keeps input order and never has more than `limit` tasks pending', async () => {
    let pending = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const run = mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      pending++;
      most = Math.max(most, pending);
      // Released last-in first: later items finish before earlier ones.
      await new Promise<void>((resolve) => releases.push(resolve));
      pending--;
      return n * 10;
    });
    while (releases.length > 0 || pending > 0) {
      await new Promise((r) => setImmediate(r));
      releases.pop()?.();
    }
    assert.deepEqual(await run, [10, 20, 30, 40, 50, 60, 70]);
    assert.equal(most, 3);
  });

  it('runs nothing for no items and rejects with the first failure', async () => {
    assert.deepEqual(await mapBounded([], 4, () => Promise.reject(new Error('never'))), []);
    await assert.rejects(
      mapBounded([1, 2], 2, (n) => (n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n))),
      /two/,
    );
  });
});
