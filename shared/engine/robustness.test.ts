// Whole-input robustness: every object of examples/ and of the shared real-world corpus, analysed
// against an identical live copy, is in sync (normalisation is symmetric and idempotent) and never throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { analyzeAll, analyzeResource } from './analyze.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';
import { CORPUS, EXAMPLES, manifestFiles } from '../../test/engine/testdata/fixtures.ts';
import { sharedSkip } from '../../test/kit/shared-data.ts';

const opts = defaultEngineOptions();

function selfCheck(dir: string): { checked: number; drifted: string[] } {
  const { objects } = parseManifests(manifestFiles(dir), opts);
  const results = analyzeAll(
    objects,
    objects.map((o) => structuredClone(o.object)),
    opts,
    { gitCommit: null },
  );
  return {
    checked: results.length,
    drifted: results
      .filter((r) => r.drift_detected)
      .map((r) => `${r.resource_id}: ${JSON.stringify(r.drift_details)}`),
  };
}

describe('robustness', () => {
  it('examples/ against themselves: no drift', () => {
    const r = selfCheck(EXAMPLES);
    assert.ok(r.checked >= 15);
    assert.deepEqual(r.drifted, []);
  });

  it('the real-world corpus against itself: no drift, no exception', { skip: sharedSkip(CORPUS) }, () => {
    const r = selfCheck(CORPUS);
    assert.ok(r.checked > 100);
    assert.deepEqual(r.drifted, []);
  });

  it('examples/ against an empty cluster: everything Missing (high)', () => {
    const { objects } = parseManifests(manifestFiles(EXAMPLES), opts);
    const results = analyzeAll(objects, new Map(), opts, { gitCommit: 'abc' });
    assert.ok(
      results.every(
        (r) =>
          r.drift_type === 'Missing' &&
          r.severity === 'high' &&
          r.live_hash === null &&
          r.git_commit === 'abc',
      ),
    );
  });

  it('the HPA-managed api Deployment (examples/api.yaml) scaled by the HPA is not drift', () => {
    const { objects } = parseManifests(manifestFiles(EXAMPLES), opts);
    const api = objects.find((o) => o.id === 'Deployment:demo:api');
    assert.ok(api);
    const live = structuredClone(api.object) as KubeObject;
    (live['spec'] as JsonObject)['replicas'] = 6;
    live.metadata['managedFields'] = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'scale',
        time: new Date('2026-11-22T10:00:00Z') as unknown as string,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];
    assert.equal(analyzeResource(api, live, opts, { gitCommit: null }).drift_detected, false);
    // Without the autoscaler rule it is Scaling drift by kube-controller-manager, with a Date time turned into ISO text.
    const r = analyzeResource(api, live, { ...opts, rules: { ignore_managers: [] } }, { gitCommit: null });
    assert.deepEqual(
      r.drift_details.map((d) => [d.path, d.type, d.manager, d.changed_at, d.desired, d.live]),
      [['spec.replicas', 'Scaling', 'kube-controller-manager', '2026-11-22T10:00:00Z', 3, 6]],
    );
  });
});
