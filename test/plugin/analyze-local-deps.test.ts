// `analyze --local --config FILE` on a chart with a dependency from a chart repository: the plugin
// fetches it as the agent does (shared/node/render/deps), from the render.helm.repositories of the
// agent's config, with the credentials of the Secret that config names, read with the user's
// kubeconfig. Real parts on loopback: the basic-auth chart repository of the helm-dependencies
// suite (`helm package`, `helm repo index`), a real API server, the real plugin and helm. The
// oracle is helm's own `dependency build` + `template`, applied to the cluster: no drift means the
// plugin rendered the same objects (the newest version in range included). Without --config, or
// with a config that does not list the repository, the render is refused naming the repository.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { DriftResult } from '../../shared/types.ts';
import { parseJson, runPlugin, type JsonReport, type RunResult } from '../kit/plugin.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import {
  configMapTemplate,
  helm,
  startChartRepo,
  writeChart,
  type ChartRepo,
} from '../render/chart-repos.ts';
import { renderBinaries } from '../render/tools.ts';

const USER = 'chart-reader';
const PASSWORD = 'pw-local-3b9d-not-in-any-output';

describe('analyze --local fetches chart dependencies from the agent config’s repositories', () => {
  let plane: SharedCluster;
  let charts: ChartRepo;
  let repo: TestRepo;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let cache: string;
  const digest: Record<string, string> = {};

  /** The agent's config as a user would save it from its ConfigMap, with these repositories. */
  const config = (name: string, repositories: Record<string, unknown>[]): string => {
    const file = join(work, name);
    writeFileSync(
      file,
      stringify({
        database: { path: '/var/lib/driftguard/driftguard.db' },
        render: { helm: { repositories, cache_dir: '/var/lib/driftguard/helm-charts' } },
      }),
    );
    return file;
  };
  const analyze = (args: string[], cacheHome = cache): Promise<RunResult> =>
    runPlugin(
      [
        'analyze',
        '--local',
        '--repo',
        repo.dir,
        '--path',
        'app',
        '--type',
        'helm',
        '--kubeconfig',
        plane.kubeconfig,
        '-n',
        plane.namespace,
        '-o',
        'json',
        ...args,
      ],
      { env: { ...env, XDG_CACHE_HOME: cacheHome }, timeoutMs: 180_000 },
    );

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftguard-local-deps-'));
    const home = join(work, 'helm-home');
    const served = join(work, 'served');
    // Two versions in the repository: ^1.0.0 must pick 1.1.0.
    for (const v of ['1.0.0', '1.1.0']) {
      writeChart(join(work, 'src', v), 'lib-http', v, {
        'templates/cm.yaml': configMapTemplate('lib-http', v),
      });
      await helm(home, ['package', join(work, 'src', v, 'lib-http'), '--destination', served]);
      digest[v] = createHash('sha256')
        .update(readFileSync(join(served, `lib-http-${v}.tgz`)))
        .digest('hex');
    }
    charts = await startChartRepo(served, USER, PASSWORD);
    await helm(home, ['repo', 'index', served, '--url', charts.url]);
    repo = makeRepo({
      'app/Chart.yaml': stringify({
        apiVersion: 'v2',
        name: 'app',
        version: '0.1.0',
        dependencies: [{ name: 'lib-http', version: '^1.0.0', repository: charts.url }],
      }),
      'app/templates/own.yaml': configMapTemplate('own', '1'),
    });
    plane = await sharedCluster(import.meta.url);
    await plane.kubectlOk([
      'create',
      'secret',
      'generic',
      'chart-creds',
      '-n',
      plane.namespace,
      `--from-literal=username=${USER}`,
      `--from-literal=password=${PASSWORD}`,
    ]);
    // The oracle: helm's own dependency build (its repository entry holds the credentials) and template.
    await helm(home, ['repo', 'add', 'lib', charts.url, '--username', USER, '--password', PASSWORD]);
    const copy = join(work, 'oracle', 'app');
    cpSync(join(repo.dir, 'app'), copy, { recursive: true });
    await helm(home, ['dependency', 'build', copy]);
    const manifest = await helm(home, ['template', 'app', copy, '--namespace', plane.namespace]);
    await plane.kubectlOk(['apply', '-n', plane.namespace, '-f', '-'], { input: manifest });
    const b = renderBinaries();
    cache = join(work, 'user-cache');
    env = { PATH: [dirname(b.helm), process.env['PATH']].join(':'), XDG_CACHE_HOME: cache };
  });
  after(async () => {
    await charts?.stop();
    repo?.remove();
    await plane?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('with --config: fetched with the Secret’s credentials, verified and cached; no drift against helm’s own render', async () => {
    const file = config('agent.yaml', [
      { url: charts.url, secret: 'chart-creds', secret_namespace: plane.namespace },
    ]);
    const r = await analyze(['--config', file]);
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson<JsonReport<DriftResult>>(r);
    assert.deepEqual(
      report.drift_records.map((d) => [d.resource_id, d.drift_detected]).sort(),
      [
        [`ConfigMap:${plane.namespace}:app-lib-http`, false],
        [`ConfigMap:${plane.namespace}:app-own`, false],
      ],
      r.stderr,
    );
    // The newest version in range, downloaded once, verified, and kept by its sha256 in the user's cache.
    assert.ok(charts.served.includes('/charts/lib-http-1.1.0.tgz'), charts.served.join(', '));
    assert.ok(!charts.served.includes('/charts/lib-http-1.0.0.tgz'));
    assert.ok(existsSync(join(cache, 'driftguard', 'helm-charts', `${digest['1.1.0']}.tgz`)));
    // The second run (below) resolves from the book beside the archives: no request at all.
    const asked = charts.served.length;
    assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD), 'the password is never printed');

    // A live change to the dependency's object is found as drift (the render is the real desired state).
    await plane.kubectlOk([
      'patch',
      'configmap/app-lib-http',
      '-n',
      plane.namespace,
      '--type=merge',
      '-p',
      '{"data":{"made-by":"hand"}}',
    ]);
    const drifted = parseJson<JsonReport<DriftResult>>(await analyze(['--config', file]));
    assert.equal(charts.served.length, asked, charts.served.join(', '));
    assert.deepEqual(
      drifted.drift_records.filter((d) => d.drift_detected).map((d) => d.resource_id),
      [`ConfigMap:${plane.namespace}:app-lib-http`],
    );
  });

  it('without --config, or with a config not listing the repository: refused, naming it', async () => {
    const refused = new RegExp(
      `render failed: Chart\\.yaml: dependency lib-http \\^1\\.0\\.0 comes from ${charts.url.replace(/[.]/g, '\\.')}, which is not in render\\.helm\\.repositories; refusing to fetch it`,
    );
    const none = await analyze([]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, refused);
    assert.match(
      none.stderr,
      /the render\.helm\.repositories of the agent's config given with --config FILE/,
    );
    const other = await analyze(['--config', config('other.yaml', [{ url: `${charts.url}-mirror` }])]);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, refused);
    assert.equal(none.stdout, '');
  });

  it('a Secret that does not exist, or a config that is not one, is a clear error', async () => {
    // A fresh cache: the first test's resolution and archive would render without asking (as a
    // restarted agent does while a repository or its Secret is gone).
    const missing = await analyze(
      [
        '--config',
        config('missing.yaml', [{ url: charts.url, secret: 'nope', secret_namespace: plane.namespace }]),
      ],
      join(work, 'fresh-cache'),
    );
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      new RegExp(
        `Secret ${plane.namespace}/nope \\(credentials of ${charts.url.replace(/[.]/g, '\\.')}\\) does not exist`,
      ),
    );
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, stringify({ render: { helm: { repositories: [{ url: 'ftp://x' }] } } }));
    const invalid = await analyze(['--config', bad]);
    assert.notEqual(invalid.code, 0);
    assert.match(
      invalid.stderr,
      /--config .*bad\.yaml: render\.helm\.repositories\.0\.url: an http\(s\):\/\/ chart repository or an oci:\/\/ registry URL/,
    );
  });
});
