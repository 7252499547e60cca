// Backoff grows by its factor up to the bound, jitter only ever shortens a delay, reset starts over.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Backoff } from './backoff.ts';

it('doubles up to maxMs without jitter, and reset starts over', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 500, jitter: 0 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500, 500]);
  b.reset();
  assert.equal(b.next(), 100);
});

it('jitter takes at most its share away and never adds', () => {
  const low = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0.999999 });
  const high = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0 });
  assert.equal(low.next(), 800);
  assert.equal(high.next(), 1000);
  const real = new Backoff({ initialMs: 1000, maxMs: 1000 });
  const delays = Array.from({ length: 200 }, () => real.next());
  assert.ok(delays.every((d) => d >= 800 && d <= 1000));
  assert.ok(new Set(delays).size > 1, 'jitter varies the delays');
});

it('refuses bounds that cannot pace anything', () => {
  assert.throws(() => new Backoff({ initialMs: 0, maxMs: 10 }), /initialMs/);
  assert.throws(() => new Backoff({ initialMs: 10, maxMs: 5 }), /initialMs/);
});
