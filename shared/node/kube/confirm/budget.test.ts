// The request budget on a clock the test moves: a burst goes out at once, then one request per
// 1/qps seconds; a quiet spell refills it up to the burst, never beyond.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestBudget } from './budget.ts';

describe('RequestBudget', () => {
  it('lets a burst through, then spaces requests at 1/qps', () => {
    let t = 0;
    const b = new RequestBudget({ qps: 5, burst: 3 }, () => t);
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
    // The 4th and 5th wait 200 ms and 400 ms: queued in order, nothing lent beyond qps.
    assert.equal(Math.round(b.reserve()), 200);
    assert.equal(Math.round(b.reserve()), 400);
    t = 10_000; // a quiet spell refills to the burst only
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
    assert.ok(b.reserve() > 0);
  });

  it('refuses a budget that would never let a request through', () => {
    assert.throws(() => new RequestBudget({ qps: 0, burst: 1 }), /qps must be > 0/);
    assert.throws(() => new RequestBudget({ qps: 1, burst: 0 }), /burst ≥ 1/);
  });
});
