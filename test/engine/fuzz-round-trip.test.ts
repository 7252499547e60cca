// The property-based round trip in `npm test`: a fixed seed and a small budget (one object of every
// supported kind, applied three ways, plus one mutation each). `npm run fuzz -- --runs N --seed S`
// runs the same property with a larger budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import { fuzzRoundTrip } from './fuzz/round-trip.ts';

const SEED = 20261201;

describe('property-based round trip through kube-apiserver (fast-check)', () => {
  let plane: SharedCluster;
  before(async () => {
    plane = await sharedCluster(import.meta.url);
  });
  after(async () => {
    // The CRD is cluster-scoped: gone before the next file on the shared plane runs discovery.
    await plane?.kubectl(['delete', 'crd', 'fuzzwidgets.fuzz.example.com', '--ignore-not-found']);
    await plane?.stop();
  });

  it(`every supported kind: zero drift after csa/ssa/create, each mutation found (seed ${SEED})`, async () => {
    const stats = await fuzzRoundTrip(plane, { runs: 20, seed: SEED, namespace: plane.namespace });
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
