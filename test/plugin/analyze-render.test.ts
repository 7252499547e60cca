// `analyze --local` on rendered sources, end to end with the real tools and a real control plane:
// the project's own test repository (Kustomize overlay, Helm chart with values files) applied with
// `kubectl apply -k` / `helm install` shows no drift, a real kubectl mutation is found with the file
// it came from; the real podinfo chart and Kustomize trees in ../shared/render-corpus, installed
// the same way, show no false positives; a render error exits 2.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderRepoFiles } from '../render/fixture.ts';
import { renderBinaries } from '../render/tools.ts';
import { parseJson, runPlugin, type JsonReport, type RunResult } from '../kit/plugin.ts';
import { PODINFO, sharedSkip } from '../kit/shared-data.ts';

const CORPUS = PODINFO;

let plane: Cluster;
let env: NodeJS.ProcessEnv;
const repos: TestRepo[] = [];

function helm(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      renderBinaries().helm,
      [...args, '--kubeconfig', plane.kubeconfig],
      { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: plane.dir } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`helm ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

function analyze(repo: string, args: string[]): Promise<RunResult> {
  return runPlugin(
    ['analyze', '--local', '--repo', repo, '--kubeconfig', plane.kubeconfig, '-o', 'json', ...args],
    { env, timeoutMs: 180_000 },
  );
}

function drifted(r: RunResult): DriftResult[] {
  return parseJson<JsonReport<DriftResult>>(r).drift_records.filter((d) => d.drift_detected);
}

function noDrift(r: RunResult, what: string): JsonReport<DriftResult> {
  const report = parseJson<JsonReport<DriftResult>>(r);
  const bad = report.drift_records.filter((d) => d.drift_detected);
  assert.deepEqual(
    bad.map((d) => ({ id: d.resource_id, type: d.drift_type, details: d.drift_details })),
    [],
    `${what}: false positives\n${r.stderr}`,
  );
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
  return report;
}

describe('analyze --local with kustomize and helm', () => {
  before(async () => {
    plane = await startCluster();
    const b = renderBinaries();
    // The tools the plugin finds on PATH, as a user would have them.
    env = { PATH: [dirname(b.kustomize), dirname(b.helm), process.env['PATH']].join(':') };
  });
  after(async () => {
    for (const r of repos) r.remove();
    await plane?.stop();
  });

  describe('the test repository', () => {
    let repo: TestRepo;
    before(async () => {
      repo = makeRepo(renderRepoFiles('rshop'));
      repos.push(repo);
      await plane.kubectlOk(['apply', '-k', join(repo.dir, 'kustomize/overlays/prod')]);
      await plane.kubectlOk(['create', 'namespace', 'rchart']);
      await helm([
        'install',
        'shop',
        join(repo.dir, 'chart'),
        '-n',
        'rchart',
        '-f',
        join(repo.dir, 'chart/values-prod.yaml'),
        '--no-hooks',
      ]);
    });

    it('a Kustomize overlay applied with kubectl apply -k: no drift, and the tool is named', async () => {
      const r = await analyze(repo.dir, ['--path', 'kustomize/overlays/prod', '--exit-code']);
      const report = noDrift(r, 'overlay');
      assert.equal(report.count, 5);
      assert.match(
        r.stderr,
        new RegExp(
          `rendered kustomize/overlays/prod \\(kustomize\\) with kustomize ${renderBinaries().kustomizeVersion.replace(/\./g, '\\.')} in \\d+\\.\\ds: 5 objects`,
        ),
      );
    });

    it('a Helm chart installed with helm install: no drift; hook and test skipped, the random password unstable', async () => {
      const r = await analyze(repo.dir, [
        '--path',
        'chart',
        '--helm-values',
        'values-prod.yaml',
        '--release',
        'shop',
        '-n',
        'rchart',
        '--exit-code',
      ]);
      const report = noDrift(r, 'chart');
      assert.equal(report.count, 4);
      assert.match(
        r.stderr,
        /with helm v4\.\d+\.\d+ in [\d.]+s: 4 objects, 2 skipped \(Job:rchart:shop-migrate: helm hook \(pre-install,pre-upgrade\); Pod:rchart:shop-test: helm test pod\)/,
      );
      assert.match(
        r.stderr,
        /unstable: Secret\/rchart\/shop-generated data\.password \(differs on each render; not compared\)/,
      );
      assert.match(r.stderr, /warning: chart: the chart calls lookup/);
    });

    it('a kubectl mutation of a rendered object is found, with the file it came from', async () => {
      await plane.kubectlOk(['scale', 'deployment/web', '-n', 'rshop', '--replicas=7']);
      await plane.kubectlOk(['set', 'env', 'deployment/shop-api', '-n', 'rchart', 'GREETING=hi']);
      const k = drifted(await analyze(repo.dir, ['--path', 'kustomize/overlays/prod']));
      assert.deepEqual(
        k.map((d) => [d.resource_id, d.drift_type, d.source_file]),
        [['Deployment:rshop:web', 'Scaling', 'kustomize/base/deployment.yaml']],
      );
      assert.deepEqual(
        k[0]?.drift_details.map((d) => [d.path, d.desired, d.live]),
        [['spec.replicas', 3, 7]],
      );
      const h = drifted(
        await analyze(repo.dir, [
          '--path',
          'chart',
          '--helm-values',
          'values-prod.yaml',
          '--release',
          'shop',
          '-n',
          'rchart',
        ]),
      );
      assert.deepEqual(
        h.map((d) => [d.resource_id, d.source_file]),
        [['Deployment:rchart:shop-api', 'chart/templates/deployment.yaml']],
      );
      assert.match(JSON.stringify(h[0]?.drift_details), /GREETING/);
    });

    it('a render error exits 2 with the tool, its exit code and stderr', async () => {
      repo.commit({ 'chart/templates/broken.yaml': '{{ .Values.nope.deeper }}\n' });
      const r = await runPlugin(
        ['analyze', '--local', '--repo', repo.dir, '--path', 'chart', '--kubeconfig', plane.kubeconfig],
        { env },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^error: render failed: helm v4\.\d+\.\d+ failed \(exit 1\): .*nil pointer evaluating interface \{\}\.deeper/m,
      );
      assert.equal(r.stdout, '');
      const refused = await runPlugin(
        [
          'analyze',
          '--local',
          '--repo',
          repo.dir,
          '--path',
          'chart',
          '--helm-values',
          '/etc/passwd',
          '--kubeconfig',
          plane.kubeconfig,
        ],
        { env },
      );
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        /^error: render failed: values file \/etc\/passwd is outside the repository; refusing to read it$/m,
      );
    });
  });

  describe('the render corpus (../shared/render-corpus, read in place)', { skip: sharedSkip(CORPUS) }, () => {
    it('podinfo chart installed with helm: no false positives; tests skipped', async () => {
      await plane.kubectlOk(['create', 'namespace', 'podinfo']);
      const chart = join(CORPUS, 'charts/podinfo');
      await helm(['install', 'podinfo', chart, '-n', 'podinfo', '--no-hooks']);
      const r = await analyze(CORPUS, ['--path', 'charts/podinfo', '-n', 'podinfo', '--exit-code']);
      const report = noDrift(r, 'podinfo chart');
      assert.ok(report.count >= 2, `only ${report.count} objects`);
      assert.match(r.stderr, /skipped \(.*helm test pod/);
    });

    it('podinfo chart with production values and hooks on: no false positives; hooks skipped', async () => {
      await plane.kubectlOk(['create', 'namespace', 'podinfo-prod']);
      const chart = join(CORPUS, 'charts/podinfo');
      const sets = ['hooks.preInstall.job.enabled=true', 'hooks.postInstall.job.enabled=true'];
      await helm([
        'install',
        'prod',
        chart,
        '-n',
        'podinfo-prod',
        '-f',
        join(chart, 'values-prod.yaml'),
        '--no-hooks',
        ...sets.flatMap((s) => ['--set', s]),
      ]);
      const r = await analyze(CORPUS, [
        '--path',
        'charts/podinfo',
        '-n',
        'podinfo-prod',
        '--release',
        'prod',
        '--helm-values',
        'values-prod.yaml',
        ...sets.flatMap((s) => ['--helm-set', s]),
        '--exit-code',
      ]);
      noDrift(r, 'podinfo chart, production values');
      assert.match(r.stderr, /helm hook \(pre-install\)/);
      assert.match(r.stderr, /helm hook \(post-install\)/);
    });

    for (const path of [
      'kustomize',
      'deploy/overlays/dev',
      'deploy/overlays/staging',
      'deploy/overlays/production',
    ]) {
      it(`${path} applied with kubectl apply -k: no false positives`, async () => {
        const ns = path === 'kustomize' ? 'podinfo-kustomize' : undefined;
        if (ns) await plane.kubectlOk(['create', 'namespace', ns]);
        await plane.kubectlOk(['apply', '-k', join(CORPUS, path), ...(ns ? ['-n', ns] : [])]);
        const r = await analyze(CORPUS, ['--path', path, ...(ns ? ['-n', ns] : []), '--exit-code']);
        const report = noDrift(r, path);
        assert.ok(report.count >= 3, `only ${report.count} objects`);
        assert.match(r.stderr, /\(kustomize\) with kustomize v5\.8\.2/);
      });
    }
  });
});
