import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeResource } from './analyze.ts';
import { jobFinished } from './job-ttl.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';
import type { KubeObject } from '../types.ts';

const job = (ttl: number | undefined): string =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'app' },
    spec: {
      ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }),
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'm:1' }] } },
    },
  });

function verdict(ttl: number | undefined, finished: string[] | undefined) {
  const d = parseManifests([{ path: 'job.yaml', content: job(ttl) }], { defaultNamespace: 'default' })
    .objects[0];
  assert.ok(d);
  const opts = defaultEngineOptions(finished ? { finishedJobs: new Set(finished) } : {});
  return { id: d.id, r: analyzeResource(d, undefined, opts, { gitCommit: null }) };
}

describe('a Job its TTL removed', () => {
  it('is in sync when the adapter has evidence it finished', () => {
    const { r } = verdict(100, ['Job:app:migrate']);
    assert.equal(r.drift_detected, false);
    assert.equal(r.drift_status, 'none');
    assert.equal(r.live_hash, r.desired_hash);
  });
  it('is Missing without evidence (deleted by hand before it finished)', () => {
    const { r } = verdict(100, []);
    assert.equal(r.drift_type, 'Missing');
    assert.equal(verdict(100, undefined).r.drift_type, 'Missing');
  });
  it('is Missing when Git gives no TTL, whatever the evidence (nothing was to remove it)', () => {
    assert.equal(verdict(undefined, ['Job:app:migrate']).r.drift_type, 'Missing');
  });
  it('jobFinished reads the Complete and Failed conditions', () => {
    const withCond = (type: string, status: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      status: {
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True' },
          { type, status },
        ],
      },
    });
    assert.equal(jobFinished(withCond('Complete', 'True')), true);
    assert.equal(jobFinished(withCond('Failed', 'True')), true);
    assert.equal(jobFinished(withCond('Complete', 'False')), false);
    assert.equal(jobFinished(withCond('Suspended', 'True')), false);
    assert.equal(jobFinished(undefined), false);
  });
});
