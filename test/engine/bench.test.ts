// The benchmark's pairs must be realistic: in-sync ones compare equal, drifted ones drift as planned.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { benchEngine } from './bench.ts';

it('benchEngine builds pairs with the planned drift and reports timings (not asserted)', () => {
  const r = benchEngine(200);
  assert.equal(r.n, 200);
  // 20 scaled + 20 image + 10 labelled (i % 20 === 9 never collides with % 10 in {3,7}) + 2 missing.
  assert.equal(r.drifted, 52);
  assert.ok(r.ms >= 0 && r.perObjectUs >= 0);
});
