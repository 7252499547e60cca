// An annotation the API server silently drops: the legacy init-container annotations of a pod
// template (`pod.beta.kubernetes.io/init-containers`, from charts written before Kubernetes 1.8)
// are deleted on every write (pkg/api/pod/util.go DropInitContainerAnnotations, called by
// DropDisabledTemplateFields). No normaliser models it: the normalised comparison suspects the
// annotation Git sets and live lacks, and the confirm stage explains it, because the server's
// answer to a dry-run of Git's object lacks it too. Proved on the real server in three apply modes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftResult } from '../../shared/types.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import { analyzeLocal, parseJson, tempDir, type JsonReport } from '../kit/plugin.ts';

const DROPPED = 'pod.beta.kubernetes.io/init-containers';
const PATH = `spec.template.metadata.annotations["${DROPPED}"]`;

function deployment(ns: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'legacy', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: {
          labels: { app: 'legacy' },
          annotations: { [DROPPED]: '[{"name":"init","image":"busybox:1.36"}]', keep: 'yes' },
        },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
    },
  };
}

const MODES = {
  'client-side apply': ['apply', '-f'],
  'server-side apply': ['apply', '--server-side', '-f'],
  create: ['create', '-f'],
} as const;

let plane: SharedCluster;

async function analyze(repo: string, extra: string[] = []) {
  const r = await analyzeLocal(repo, plane.kubeconfig, extra);
  const legacy = parseJson<JsonReport<DriftResult>>(r).drift_records.find((d) => d.name === 'legacy');
  assert.ok(legacy, 'legacy not analysed');
  return { legacy, stderr: r.stderr };
}

describe('an annotation the API server drops (analyze --local, real kube-apiserver)', () => {
  before(async () => {
    plane = await sharedCluster(import.meta.url);
  });
  after(async () => {
    await plane?.stop();
  });

  let n = 0;
  for (const [mode, args] of Object.entries(MODES)) {
    it(`applied by ${mode}: the server drops it, the comparison suspects it, the dry-run explains it`, async () => {
      const ns = await plane.newNamespace(String(++n));
      const repo = tempDir('driftguard-dropped-');
      writeFileSync(join(repo, 'legacy.yaml'), JSON.stringify(deployment(ns)));
      await plane.kubectlOk([...args, join(repo, 'legacy.yaml')]);

      // The oracle: written, read back without it (and with its neighbour).
      const live = JSON.parse(
        await plane.kubectlOk(['get', 'deployment/legacy', '-n', ns, '-o', 'json']),
      ) as {
        spec: { template: { metadata: { annotations?: Record<string, string> } } };
      };
      const annotations = live.spec.template.metadata.annotations ?? {};
      assert.equal(annotations[DROPPED], undefined, 'the server kept the annotation');
      assert.equal(annotations['keep'], 'yes');

      const plain = await analyze(repo, ['--confirm=false']);
      assert.deepEqual(
        plain.legacy.drift_details.map((d) => [d.path, d.confirmed]),
        [[PATH, false]],
        'the comparison alone should suspect exactly the dropped annotation',
      );

      const { legacy, stderr } = await analyze(repo);
      assert.deepEqual(legacy.drift_details, [], JSON.stringify(legacy.drift_details));
      assert.equal(legacy.drift_detected, false);
      assert.deepEqual(
        legacy.explained?.map((e) => e.path),
        [PATH],
      );
      assert.match(stderr, /confirm: 1 object confirmed with the API server, 1 dry-run request sent/);
    });
  }
});
