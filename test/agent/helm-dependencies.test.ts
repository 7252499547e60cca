// Charts with dependencies (render.helm.repositories), end to end with real parts on loopback: an
// HTTP chart repository with basic auth (charts made by `helm package`, index by `helm repo index`)
// whose credentials the agent reads from a Secret (created after the agent started: the source
// waits, named in /ready, and renders at the next sync with no new commit), and an OCI registry (docker-registry, htpasswd auth, its
// credentials from another Secret) the chart was pushed to with `helm push`. The oracle is helm itself: the test runs the real `helm dependency
// build` + `helm template` and applies that, so records with no drift prove the agent rendered the
// same objects (the newest version in range included). A repository not in the list and an
// oversize archive are refused per source in /ready, never drift; a second render at a new commit
// with both servers stopped is served from the digest cache.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { isEvent } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import {
  configMapTemplate,
  helm,
  REGISTRY_PASSWORD,
  REGISTRY_USER,
  registrySkipReason,
  startChartRepo,
  startRegistry,
  writeChart,
  type ChartRepo,
  type Registry,
} from '../render/chart-repos.ts';
import { renderBinaries } from '../render/tools.ts';

const NS = 'hd';
const USER = 'chart-reader';
const PASSWORD = 'pw-7f3a9c1e-not-in-any-log';
const skip = registrySkipReason();

interface Rec {
  resource_id: string;
  source: string | null;
  drift_status: string;
}
interface Component {
  name: string;
  ready: boolean;
  message: string;
}

let plane: ControlPlane;
let charts: ChartRepo;
let registry: Registry;
let repo: TestRepo;
let agent: AgentProcess;
let work: string;
const archives: Record<string, string> = {};

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The chart sources the repository holds, written once the servers' ports are known. */
function sources(): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (name: string, deps: { name: string; version: string; repository: string }[]): void => {
    files[`${name}/Chart.yaml`] = stringify({ apiVersion: 'v2', name, version: '0.1.0', dependencies: deps });
    files[`${name}/templates/own.yaml`] = configMapTemplate('own', '1');
  };
  add('app-http', [{ name: 'lib-http', version: '^1.0.0', repository: charts.url }]);
  add('app-oci', [{ name: 'lib-oci', version: '0.2.0', repository: `oci://${registry.host}/charts` }]);
  add('app-denied', [
    { name: 'lib-http', version: '1.0.0', repository: charts.url.replace(/charts$/, 'other') },
  ]);
  add('app-big', [{ name: 'big', version: '1.0.0', repository: charts.url }]);
  return files;
}

/** What the real helm makes of a chart of the Git repository after its own `helm dependency build`. */
async function helmOwnRender(name: string, home: string): Promise<string> {
  const copy = join(work, 'oracle', name);
  cpSync(join(repo.dir, name), copy, { recursive: true });
  await helm(home, ['dependency', 'build', copy, '--plain-http']);
  return helm(home, ['template', name, copy, '--namespace', NS]);
}

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const records = async (): Promise<Rec[]> =>
  (await get<{ drift_records: Rec[] }>(`${agent.apiUrl}/api/v1/drift-records?limit=1000`)).drift_records;
const component = async (name: string): Promise<Component | undefined> =>
  (await get<{ components: Component[] }>(`${agent.healthUrl}/ready`)).components.find(
    (c) => c.name === name,
  );

describe('charts with dependencies from allowed repositories', { skip: skip ?? false }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftguard-helm-deps-'));
    const home = join(work, 'helm-home');
    const served = join(work, 'served');
    // The library charts: two versions in the HTTP repository (^1.0.0 must pick 1.1.0), one in the
    // registry, and one archive over the size limit (random bytes do not compress).
    for (const v of ['1.0.0', '1.1.0'])
      writeChart(join(work, 'src', v), 'lib-http', v, {
        'templates/cm.yaml': configMapTemplate('lib-http', v),
      });
    writeChart(join(work, 'src'), 'lib-oci', '0.2.0', {
      'templates/cm.yaml': configMapTemplate('lib-oci', '0.2.0'),
    });
    writeChart(join(work, 'src'), 'big', '1.0.0', {
      'templates/cm.yaml': configMapTemplate('big', '1.0.0'),
      'files/noise.bin': randomBytes(300_000),
    });
    for (const c of ['1.0.0/lib-http', '1.1.0/lib-http', 'big'])
      await helm(home, ['package', join(work, 'src', c), '--destination', served]);
    await helm(home, ['package', join(work, 'src', 'lib-oci'), '--destination', join(work, 'oci')]);
    charts = await startChartRepo(served, USER, PASSWORD);
    await helm(home, ['repo', 'index', served, '--url', charts.url]);
    registry = await startRegistry({ auth: true });
    await helm(home, [
      'registry',
      'login',
      registry.host,
      '--username',
      REGISTRY_USER,
      '--password',
      REGISTRY_PASSWORD,
      '--plain-http',
    ]);
    await helm(home, [
      'push',
      join(work, 'oci', 'lib-oci-0.2.0.tgz'),
      `oci://${registry.host}/charts`,
      '--plain-http',
    ]);
    for (const f of readdirSync(served).filter((x) => x.endsWith('.tgz'))) archives[f] = sha(join(served, f));
    archives['lib-oci-0.2.0.tgz'] = sha(join(work, 'oci', 'lib-oci-0.2.0.tgz'));

    plane = await startControlPlane();
    await plane.kubectlOk(['create', 'namespace', NS]);
    await plane.kubectlOk(['create', 'namespace', 'driftguard']);
    await plane.kubectlOk([
      'create',
      'secret',
      'generic',
      'registry-creds',
      '-n',
      'driftguard',
      `--from-literal=username=${REGISTRY_USER}`,
      `--from-literal=password=${REGISTRY_PASSWORD}`,
    ]);
    repo = makeRepo(sources());
    // helm's own dependency build is the oracle; its repository entry carries the credentials.
    await helm(home, ['repo', 'add', 'lib', charts.url, '--username', USER, '--password', PASSWORD]);
    for (const name of ['app-http', 'app-oci'])
      await plane.kubectlOk(['apply', '-n', NS, '-f', '-'], { input: await helmOwnRender(name, home) });

    const b = renderBinaries();
    agent = await startAgent({
      config: {
        kubernetes: { kubeconfig: plane.kubeconfig, namespaces: [NS] },
        git: {},
        sources: ['app-http', 'app-oci', 'app-denied', 'app-big'].map((name) => ({
          name,
          url: repo.bare().url,
          path: name,
          type: 'helm',
          namespace: NS,
        })),
        render: {
          kustomize: b.kustomize,
          helm: {
            path: b.helm,
            repositories: [
              { url: charts.url, secret: 'chart-repo' },
              { url: `oci://${registry.host}/charts`, plain_http: true, secret: 'registry-creds' },
            ],
            max_chart_size: '100kb',
            cache_dir: join(work, 'agent-cache'),
          },
        },
        drift: { interval: '1s', unmanaged: 'ignore' },
      } as unknown as Record<string, Record<string, unknown>>,
    });
    // Two sources are refused on purpose, so the agent as a whole stays not ready: wait for each
    // source's own verdict instead.
    await until(
      'every source rendered or refused',
      async () => {
        const ready = await get<{ components: Component[] }>(`${agent.healthUrl}/ready`).catch(() => null);
        const of = (n: string) => ready?.components.find((c) => c.name === `source:${n}`);
        // app-http waits for its Secret, which the first test creates.
        const done =
          of('app-http')?.message.startsWith('not loaded: ') &&
          of('app-oci')?.ready &&
          of('app-denied')?.message.startsWith('not loaded: ') &&
          of('app-big')?.message.startsWith('not loaded: ');
        return done ? true : undefined;
      },
      { timeoutMs: 120_000, detail: () => agent.logs().slice(-5).join('\n') },
    );
    await agent.waitForLog(isEvent('analysis_completed'), 60_000);
  });
  after(async () => {
    await agent?.stop();
    await plane?.stop();
    await charts?.stop();
    await registry?.stop();
    repo?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reads the credentials from the Secret once it exists, with no new commit', async () => {
    const waiting = await component('source:app-http');
    assert.equal(waiting?.ready, false);
    assert.match(
      waiting?.message ?? '',
      /Secret driftguard\/chart-repo \(credentials of http:\/\/127\.0\.0\.1:\d+\/charts\) does not exist/,
    );
    await plane.kubectlOk([
      'create',
      'secret',
      'generic',
      'chart-repo',
      '-n',
      'driftguard',
      `--from-literal=username=${USER}`,
      `--from-literal=password=${PASSWORD}`,
    ]);
    // Both sources of that repository try again at their next sync: one renders, one meets the size limit.
    await until(
      'app-http rendered and app-big refused for its size, with records of app-http',
      async () =>
        (await component('source:app-http'))?.ready &&
        /byte limit/.test((await component('source:app-big'))?.message ?? '') &&
        (await records()).filter((r) => r.source === 'app-http').length === 2
          ? true
          : undefined,
      { timeoutMs: 30_000, detail: () => agent.logs().slice(-3).join('\n') },
    );
    assert.ok(charts.unauthorized === 0, 'no request went out without the credentials');
  });

  it('renders each chart with its dependency as helm dependency build does: records, no drift', async () => {
    const all = await records();
    const of = (s: string) =>
      all
        .filter((r) => r.source === s)
        .map((r) => `${r.resource_id} ${r.drift_status}`)
        .sort();
    assert.deepEqual(of('app-http'), [
      `ConfigMap:${NS}:app-http-lib-http none`,
      `ConfigMap:${NS}:app-http-own none`,
    ]);
    assert.deepEqual(of('app-oci'), [
      `ConfigMap:${NS}:app-oci-lib-oci none`,
      `ConfigMap:${NS}:app-oci-own none`,
    ]);
    const made = await plane.kubectlOk([
      'get',
      'configmap',
      'app-http-lib-http',
      '-n',
      NS,
      '-o',
      'jsonpath={.data.made-by}',
    ]);
    assert.equal(made, 'lib-http-1.1.0', 'helm and the agent both took the newest version in ^1.0.0');
    // The credentials came from the Secret, and no log line holds the password.
    assert.ok(charts.served.includes('/charts/index.yaml'));
    for (const secret of [PASSWORD, REGISTRY_PASSWORD])
      assert.equal(agent.logs().filter((l) => l.includes(secret)).length, 0);
  });

  it('keeps verified archives by digest', () => {
    // Beside the archives the cache dir holds the resolved versions (resolved.json).
    const cached = readdirSync(join(work, 'agent-cache'))
      .filter((f) => f.endsWith('.tgz'))
      .sort();
    assert.deepEqual(
      cached,
      [archives['lib-http-1.1.0.tgz'], archives['lib-oci-0.2.0.tgz']].map((d) => `${d}.tgz`).sort(),
    );
  });

  it('refuses a repository not in the list and an oversize archive, per source, never as drift', async () => {
    const denied = await component('source:app-denied');
    assert.equal(denied?.ready, false);
    assert.match(
      denied?.message ?? '',
      /dependency lib-http 1\.0\.0 comes from http:\/\/127\.0\.0\.1:\d+\/other, which is not in render\.helm\.repositories/,
    );
    const big = await component('source:app-big');
    assert.equal(big?.ready, false);
    assert.match(big?.message ?? '', /big-1\.0\.0\.tgz .*over the 102400-byte limit/);
    assert.ok(
      !charts.served.some((p) => p.startsWith('/other')),
      'nothing fetched from the refused repository',
    );
    const all = await records();
    assert.deepEqual(
      all.filter((r) => r.source === 'app-denied' || r.source === 'app-big'),
      [],
    );
  });

  it('renders a new commit with both servers stopped: the dependencies come from the digest cache', async () => {
    await charts.stop();
    await registry.stop();
    const commit = repo.commit({
      'app-http/templates/more.yaml': configMapTemplate('more', '2'),
      'app-oci/templates/more.yaml': configMapTemplate('more', '2'),
    });
    const events = (): string =>
      agent
        .logs()
        .filter((l) => !l.includes('"analysis_completed"'))
        .slice(-8)
        .join('\n');
    for (const source of ['app-http', 'app-oci'])
      await until(
        `${source} rendered at the new commit`,
        () =>
          agent
            .logs()
            .some(
              (l) =>
                l.includes('"source_rendered"') && l.includes(`"source":"${source}"`) && l.includes(commit),
            ) || undefined,
        { timeoutMs: 30_000, detail: events },
      );
    const ids = await until(
      'the new objects recorded',
      async () => {
        const now = (await records()).map((r) => `${r.source} ${r.resource_id}`);
        return now.includes(`app-http ConfigMap:${NS}:app-http-more`) &&
          now.includes(`app-oci ConfigMap:${NS}:app-oci-more`)
          ? now
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.ok(ids.includes(`app-http ConfigMap:${NS}:app-http-lib-http`), 'the dependency is still rendered');
    assert.equal((await component('source:app-http'))?.ready, true);
  });
});
