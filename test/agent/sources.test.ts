// The agent process with three sources at once (plain manifests, a Kustomize overlay, a Helm
// chart) from one repository, against a real control plane with the real kustomize and helm:
// every record names its source, ?source= filters, statistics and /ready show each source's type;
// a bad template committed mid-run keeps that source's last good state (named in /ready and
// statistics as render_failed) while the other sources are still analysed; an unchanged commit
// is not rendered again by the 1 s Git poll.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderRepoFiles } from '../render/fixture.ts';
import { renderBinaries, runHelm } from '../render/tools.ts';
import { isEvent, waitForRecord } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';

interface Component {
  name: string;
  ready: boolean;
  message: string;
  type?: string | null;
  render_failed?: string | null;
}
interface SourceStats {
  name: string;
  type: string | null;
  tool: string | null;
  objects: number;
  drifted: number;
  skipped: number;
  unstable: number;
  render_failed: string | null;
}
interface Rec {
  resource_id: string;
  source: string | null;
  drift_status: string;
  source_file: string | null;
}

let plane: Cluster;
let repo: TestRepo;
let agent: AgentProcess;

const get = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
};
const records = async (query = ''): Promise<Rec[]> =>
  (await get<{ drift_records: Rec[] }>(`${agent.apiUrl}/api/v1/drift-records?limit=1000${query}`)).body
    .drift_records;
const statistics = async (): Promise<SourceStats[]> =>
  (await get<{ statistics: { sources: SourceStats[] } }>(`${agent.apiUrl}/api/v1/statistics`)).body.statistics
    .sources;

const helm = (args: string[]): Promise<void> => runHelm(plane.kubeconfig, plane.dir, args);

describe('agent with three sources (plain, kustomize, helm)', () => {
  before(async () => {
    plane = await startCluster();
    repo = makeRepo(renderRepoFiles('ms-kust'));
    await plane.kubectlOk(['create', 'namespace', 'ms-plain']);
    await plane.kubectlOk(['create', 'namespace', 'ms-helm']);
    repo.commit({ 'plain/config.yaml': renderRepoFiles('ms-plain')['plain/config.yaml'] ?? '' });
    await plane.kubectlOk(['apply', '-f', join(repo.dir, 'plain')]);
    await plane.kubectlOk(['apply', '-k', join(repo.dir, 'kustomize/overlays/prod')]);
    await helm([
      'install',
      'shop',
      join(repo.dir, 'chart'),
      '-n',
      'ms-helm',
      '-f',
      join(repo.dir, 'chart/values-prod.yaml'),
      '--no-hooks',
    ]);
    const b = renderBinaries();
    agent = await startAgent({
      config: {
        kubernetes: { kubeconfig: plane.kubeconfig, namespaces: ['ms-plain', 'ms-kust', 'ms-helm'] },
        git: {},
        sources: [
          { name: 'plain', url: repo.bare().url, path: 'plain' },
          { name: 'kust', url: repo.bare().url, path: 'kustomize/overlays/prod' },
          {
            name: 'chart',
            url: repo.bare().url,
            path: 'chart',
            namespace: 'ms-helm',
            helm: { release: 'shop', values_files: ['values-prod.yaml'] },
          },
        ],
        render: { kustomize: b.kustomize, helm: b.helm },
        drift: { interval: '1s' },
      } as unknown as Record<string, Record<string, unknown>>,
    });
    await agent.waitReady(90_000);
    await agent.waitForLog(isEvent('analysis_completed'), 60_000);
  });
  after(async () => {
    await agent?.stop();
    await plane?.stop();
    repo?.remove();
  });

  it('tracks every source with no drift; each record names its source; ?source= filters', async () => {
    const all = await records();
    const bySource = (s: string) =>
      all
        .filter((r) => r.source === s)
        .map((r) => r.resource_id)
        .sort();
    assert.deepEqual(bySource('plain'), ['ConfigMap:ms-plain:plain-config']);
    assert.equal(bySource('kust').length, 4, JSON.stringify(all)); // Deployment, Service, ConfigMap, Secret (Namespace not watched)
    assert.deepEqual(bySource('chart'), [
      'ConfigMap:ms-helm:shop-greeting',
      'ConfigMap:ms-helm:shop-lookup',
      'Deployment:ms-helm:shop-api',
      'Secret:ms-helm:shop-generated',
    ]);
    assert.deepEqual(
      all.filter((r) => r.drift_status !== 'none'),
      [],
    );
    assert.deepEqual((await records('&source=chart')).map((r) => r.resource_id).sort(), bySource('chart'));
    const bad = await fetch(`${agent.apiUrl}/api/v1/drift-records?source=Not_A_Name`);
    assert.equal(bad.status, 400);
  });

  it('statistics and /ready show each source with its type and tool', async () => {
    const stats = await statistics();
    assert.deepEqual(
      stats.map((s) => [s.name, s.type, s.render_failed]),
      [
        ['plain', 'directory', null],
        ['kust', 'kustomize', null],
        ['chart', 'helm', null],
      ],
    );
    assert.equal(stats[1]?.tool, `kustomize ${renderBinaries().kustomizeVersion}`);
    assert.equal(stats[2]?.tool, `helm ${renderBinaries().helmVersion}`);
    assert.equal(stats[2]?.skipped, 2);
    assert.equal(stats[2]?.unstable, 1);
    const ready = await get<{ message: string; components: Component[] }>(`${agent.healthUrl}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(
      ready.body.components.filter((c) => c.name.startsWith('source:')).map((c) => [c.name, c.ready, c.type]),
      [
        ['source:plain', true, 'directory'],
        ['source:kust', true, 'kustomize'],
        ['source:chart', true, 'helm'],
      ],
    );
  });

  it('does not render again while nothing changes (Git poll every second)', async () => {
    const before_ = agent.logs().filter((l) => l.includes('"event":"source_rendered"')).length;
    await new Promise((r) => setTimeout(r, 3500));
    const after_ = agent.logs().filter((l) => l.includes('"event":"source_rendered"')).length;
    assert.equal(before_, 2);
    assert.equal(after_, before_);
  });

  it('a chart broken mid-run keeps its last good state, is named in /ready and statistics; the others carry on', async () => {
    const broken = repo.commit({ 'chart/templates/broken.yaml': '{{ .Values.nope.deeper }}\n' });
    const failed = await agent.waitForLog(
      (l) => l['event'] === 'render_failed' && l['commit'] === broken,
      20_000,
    );
    assert.match(String(failed['err']), /^helm v4\.\d+\.\d+ failed \(exit 1\): .*nil pointer/);
    const ready = await get<{ message: string; components: Component[] }>(`${agent.healthUrl}/ready`);
    assert.equal(ready.status, 200, 'the last good state is still analysed');
    assert.match(ready.body.message, /source:chart: render_failed: helm v4\.\d+\.\d+ failed \(exit 1\)/);
    const chart = ready.body.components.find((c) => c.name === 'source:chart');
    assert.match(chart?.render_failed ?? '', /nil pointer/);
    assert.equal((await statistics()).find((s) => s.name === 'chart')?.render_failed, chart?.render_failed);
    assert.equal((await records('&source=chart')).length, 4, 'last good objects kept, none reported Missing');

    // The other sources are still analysed, and so is the broken one's last good state.
    await plane.kubectlOk(['scale', 'deployment/web', '-n', 'ms-kust', '--replicas=9']);
    const web = await waitForRecord(
      agent,
      'Deployment:ms-kust:web',
      (r) => r.drift_status === 'active',
      15_000,
    );
    assert.equal(web.source_file, 'kustomize/base/deployment.yaml');
    await plane.kubectlOk([
      'patch',
      'configmap/plain-config',
      '-n',
      'ms-plain',
      '-p',
      '{"data":{"mode":"edited"}}',
    ]);
    await waitForRecord(agent, 'ConfigMap:ms-plain:plain-config', (r) => r.drift_status === 'active', 15_000);
    await plane.kubectlOk(['scale', 'deployment/shop-api', '-n', 'ms-helm', '--replicas=4']);
    const api = await waitForRecord(
      agent,
      'Deployment:ms-helm:shop-api',
      (r) => r.drift_status === 'active',
      15_000,
    );
    assert.equal(api.source_file, 'chart/templates/deployment.yaml');

    // Fixed: renders again, render_failed clears.
    repo.commit({ 'chart/templates/broken.yaml': null });
    await agent.waitForLog((l) => l['event'] === 'render_recovered', 20_000);
    assert.equal((await statistics()).find((s) => s.name === 'chart')?.render_failed, null);
  });
});
