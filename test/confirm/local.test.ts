// The confirm stage end to end on the full local cluster, through `analyze --local`, `diff` and
// `revert` (the real plugin process, the admin's credentials): a real admission chain
// (admission.ts) rewrites every Deployment on its way in. Applied client-side, server-side (as
// kubectl and as Helm's field manager) and by create, Git's objects show 0 drift although the
// normalised comparison alone suspects some (proved with --confirm=false); a webhook with side
// effects that refuses dry-runs makes the dry-run fail, and its object keeps the suspected drift,
// unconfirmed, with the reason. Then real kubectl changes are each found with the right type, confirmed, and
// revert puts them back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { analyzeLocal, parseJson, runPlugin, tempDir, type JsonReport } from '../kit/plugin.ts';
import { installAdmission, AUDIT_REFUSAL, MIRROR, type Admission } from './admission.ts';
import { admissionNamespace, appsYaml } from './apps.ts';

let plane: Cluster;
let admission: Admission;

/** A repository of two Deployments in a fresh namespace: `web`, and `audited` (seen by the webhook that refuses dry-runs). */
async function repoIn(ns: string): Promise<string> {
  await admissionNamespace(plane, ns);
  const dir = tempDir('driftguard-confirm-repo-');
  writeFileSync(join(dir, 'apps.yaml'), appsYaml(ns));
  return dir;
}

async function analyze(
  repo: string,
  extra: string[] = [],
): Promise<{ report: JsonReport<DriftResult>; stderr: string }> {
  const r = await analyzeLocal(repo, plane.kubeconfig, extra);
  return { report: parseJson<JsonReport<DriftResult>>(r), stderr: r.stderr };
}

function byName(r: JsonReport<DriftResult>, name: string): DriftResult {
  const found = r.drift_records.find((d) => d.name === name);
  assert.ok(found, `${name} not analysed`);
  return found;
}

const MODES = {
  'client-side apply': ['apply', '-f'],
  'server-side apply': ['apply', '--server-side', '-f'],
  "server-side apply as Helm's field manager": ['apply', '--server-side', '--field-manager=helm', '-f'],
  create: ['create', '-f'],
} as const;

describe('confirm with the API server (analyze --local)', () => {
  before(async () => {
    plane = await startCluster();
    admission = await installAdmission(plane);
  });
  after(async () => {
    await admission?.stop();
    await plane?.stop();
  });

  let modeIndex = 0;
  for (const [mode, args] of Object.entries(MODES)) {
    it(`applied by ${mode}: 0 drift; what the refused dry-run cannot confirm stays, unconfirmed, with why`, async () => {
      const ns = `confirm-mode-${++modeIndex}`;
      const repo = await repoIn(ns);
      await plane.kubectlOk([...args, join(repo, 'apps.yaml')]);

      // The comparison alone sees admission's work as drift: what confirm has to explain.
      const plain = await analyze(repo, ['--confirm=false']);
      const suspected = byName(plain.report, 'web');
      assert.ok(suspected.drift_detected, 'the admission chain left nothing for confirm to explain');
      assert.ok(
        suspected.drift_details.every(
          (d) => d.confirmed === false && /--confirm=false/.test(d.confirm_reason ?? ''),
        ),
      );
      assert.match(plain.stderr, /confirm: off/);

      const { report, stderr } = await analyze(repo);
      const web = byName(report, 'web');
      assert.deepEqual(web.drift_details, [], `web: ${JSON.stringify(web.drift_details)}`);
      assert.equal(web.drift_detected, false);
      assert.equal(web.live_hash, web.desired_hash);
      // The mirror's image prefix, which Git's image differs from in every mode, is explained; so
      // is whatever else the comparison suspected (fields admission added that a manager owns).
      const image = web.explained?.find((e) => e.path === 'spec.template.spec.containers[name=web].image');
      assert.deepEqual(image, {
        path: 'spec.template.spec.containers[name=web].image',
        desired: 'nginx:1.25',
        live: `${MIRROR}nginx:1.25`,
      });

      const audited = byName(report, 'audited');
      assert.ok(audited.drift_detected, 'the audited object lost its suspected drift without an answer');
      for (const d of audited.drift_details) {
        assert.equal(d.confirmed, false, d.path);
        assert.match(d.confirm_reason ?? '', new RegExp(`dry-run refused: .*${AUDIT_REFUSAL}`), d.path);
      }
      assert.match(stderr, /confirm: 1 object confirmed with the API server, 2 dry-run requests sent/);
    });
  }

  it('real kubectl changes are each found with the right type, confirmed; revert puts them back', async () => {
    const ns = 'confirm-changes';
    const repo = await repoIn(ns);
    await plane.kubectlOk(['apply', '-f', join(repo, 'apps.yaml')]);
    const dep = ['-n', ns, 'deployment/web'];
    await plane.kubectlOk(['scale', ...dep, '--replicas=5']);
    // The mirror policy prefixes the new image again: a change to a field admission also writes.
    await plane.kubectlOk(['set', 'image', ...dep, 'web=nginx:1.26']);
    // Every container, the injected sidecar too: inside it, only what the person added is drift.
    await plane.kubectlOk(['set', 'env', ...dep, 'DEBUG=1']);
    await plane.kubectlOk(['label', ...dep, 'team=payments']);

    const { report, stderr } = await analyze(repo);
    const web = byName(report, 'web');
    const C = 'spec.template.spec.containers[name=web]';
    assert.deepEqual(
      web.drift_details.map((d) => [d.path, d.type, d.confirmed]).sort(),
      [
        ['metadata.labels.team', 'LabelChange', true],
        ['spec.replicas', 'Scaling', true],
        [`${C}.env[name=DEBUG]`, 'ConfigurationChange', true],
        ['spec.template.spec.containers[name=mesh-proxy].env[name=DEBUG]', 'ConfigurationChange', true],
        [`${C}.image`, 'VersionChange', true],
      ].sort(),
    );
    const image = web.drift_details.find((d) => d.path === `${C}.image`);
    assert.equal(image?.live, `${MIRROR}nginx:1.26`);
    assert.match(stderr, /confirm: 1 object confirmed/);

    // diff uses the same answer: only the four drifted fields, nothing admission explains.
    const diff = await runPlugin([
      'diff',
      'deployment/web',
      '-n',
      ns,
      '--local',
      '--repo',
      repo,
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    assert.equal(diff.code, 1, diff.stderr);
    assert.doesNotMatch(diff.stdout, /mesh-proxy|policy\.example\.com|INJECTED_BY|limits/);
    assert.match(diff.stdout, /nginx:1\.26/);

    const revert = await runPlugin([
      'revert',
      'deployment/web',
      '-n',
      ns,
      '--local',
      '--repo',
      repo,
      '--prune-fields',
      '--yes',
      '--force-conflicts',
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    assert.equal(revert.code, 0, revert.stderr + revert.stdout);
    const afterRevert = await analyze(repo);
    const back = byName(afterRevert.report, 'web');
    assert.deepEqual(back.drift_details, [], JSON.stringify(back.drift_details));
  });
});
