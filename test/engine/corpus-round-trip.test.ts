// No false positives on real-world manifests: every object of the shared corpus (kubernetes/examples,
// microservices-demo, podinfo, the voting app) that kube-apiserver v1.37 accepts is applied —
// client-side, server-side and with `kubectl create` — read back with its managedFields, and
// compared with the engine (corpus.ts). Whatever the server defaulted or rewrote must not count as drift.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { APPLY_MODES, corpusFileGroups, roundTrip } from './corpus.ts';
import { CORPUS, sharedSkip } from '../kit/shared-data.ts';

describe('corpus round trip through a real API server', { skip: sharedSkip(CORPUS) }, () => {
  let plane: Cluster;
  before(async () => {
    plane = await startCluster();
  });
  after(async () => {
    await plane?.stop();
  });

  for (const mode of APPLY_MODES) {
    it(`kubectl ${mode.args.slice(0, -2).join(' ')}: no drift on anything the server accepted`, async () => {
      const r = await roundTrip(plane, mode, corpusFileGroups());
      console.log(
        `corpus ${mode.name}: ${r.compared} of ${r.objects} objects accepted and compared, ${r.falsePositives.length} reported as drift`,
      );
      assert.ok(r.compared >= r.objects * 0.8, `the server accepted only ${r.compared} of ${r.objects}`);
      assert.deepEqual(r.listProblems, [], 'every list table read from the served OpenAPI');
      assert.deepEqual(r.falsePositives, []);
    });
  }
});
