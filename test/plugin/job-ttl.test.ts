// A Job Git declares with ttlSecondsAfterFinished, run to completion and deleted by the real
// TTL-after-finished controller, is not drift for `analyze --local`: the Job controller's
// `Completed` Event is the evidence it finished. A Job deleted by hand before it finished is
// Missing. Full cluster: kube-controller-manager runs the Job and TTL controllers, kwok completes
// the Job's pod.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { analyzeLocal, parseJson, tempDir, type JsonReport } from '../kit/plugin.ts';
import { untilTrue } from '../kit/poll.ts';

const NS = 'jobs-ttl';

function job(name: string, spec: object): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'run', image: 'registry.example.com/migrate:1' }],
        },
      },
    },
  };
}

const RAN = job('migrate', { ttlSecondsAfterFinished: 0 });
// Suspended: it never runs, so it cannot finish; deleted by hand it is simply gone.
const HELD = job('backfill', { ttlSecondsAfterFinished: 0, suspend: true });

function waitGone(plane: Cluster, name: string): Promise<void> {
  return untilTrue(
    `job/${name} removed by its TTL`,
    async () => {
      const r = await plane.kubectl(['-n', NS, 'get', `job/${name}`, '--ignore-not-found', '-o', 'name']);
      return r.code === 0 && r.stdout.trim() === '';
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
}

describe('analyze --local: a Job its TTL removed after it finished', () => {
  let plane: Cluster;
  let repo: string;
  before(async () => {
    plane = await startCluster();
    await plane.kubectlOk(['create', 'namespace', NS]);
    repo = tempDir('driftguard-jobs-');
    writeFileSync(join(repo, 'jobs.yaml'), [RAN, HELD].map((o) => stringify(o)).join('---\n'));
    await plane.kubectlOk(['apply', '-f', join(repo, 'jobs.yaml')]);
    await waitGone(plane, 'migrate');
    await plane.kubectlOk(['-n', NS, 'delete', 'job/backfill']);
  });
  after(async () => {
    await plane?.stop();
  });

  it('the finished one is in sync, the one deleted before it finished is Missing', async () => {
    const events = await plane.kubectlOk([
      '-n',
      NS,
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=migrate',
    ]);
    assert.match(events, /Completed/, 'premise: the Job controller recorded that it finished');
    const r = await analyzeLocal(repo, plane.kubeconfig);
    assert.equal(r.code, 0, r.stderr);
    const byName = new Map(parseJson<JsonReport<DriftResult>>(r).drift_records.map((d) => [d.name, d]));
    assert.equal(byName.get('migrate')?.drift_detected, false, JSON.stringify(byName.get('migrate')));
    assert.equal(byName.get('backfill')?.drift_type, 'Missing');
  });
});
