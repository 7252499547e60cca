// The property-based round trip in `npm test`: a fixed seed and a small budget (one object of every
// supported kind, applied three ways, plus one mutation each). `npm run fuzz -- --runs N --seed S`
// runs the same property with a larger budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { fuzzRoundTrip } from './fuzz/round-trip.ts';

const SEED = 20261201;

describe('property-based round trip through kube-apiserver (fast-check)', () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it(`every supported kind: zero drift after csa/ssa/create, each mutation found (seed ${SEED})`, async () => {
    const stats = await fuzzRoundTrip(plane, { runs: 20, seed: SEED });
    console.log(
      `fuzz: ${stats.runs} objects compared three ways, ${stats.rejected} rejected by the server, ${stats.mutations} mutations found`,
    );
    for (const r of stats.rejections) console.log(`  rejected: ${r}`);
    assert.ok(
      Object.keys(stats.byKind).length >= 20,
      `kinds covered: ${Object.keys(stats.byKind).join(', ')}`,
    );
    assert.equal(stats.mutations, stats.runs);
  });
});
