// The API contract against the real agent process, on the real control plane, on both stores:
// (1) the whole contract suite, with the agent tracking an empty Git repository so the records are
// the suite's own (seeded into the database the agent reads); (2) a real drift made with kubectl
// and undone, then the metrics, the statistics, the history and an on-demand analysis as the agent
// itself reports them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoStore } from '../../agent/store/mongo.ts';
import { SqliteStore } from '../../agent/store/sqlite.ts';
import type { Store } from '../../agent/store/store.ts';
import { DriftGuardClient } from '../../shared/api/client.ts';
import type { AnalysisStatus, Statistics } from '../../shared/types.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import {
  isEvent,
  startFixture,
  startWatchOnlyAgent,
  waitForRecord,
  type Fixture,
} from '../kit/agent-fixture.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { find, parseMetrics, type Sample } from './prom.ts';
import { apiSuite, type ApiFixture } from './suite.ts';

const BODY_LIMIT = 1024;

/** A real agent over a repository with no manifests, and a second client on its database. */
async function agentFixture(backend: 'sqlite' | 'mongo'): Promise<ApiFixture> {
  const plane: Cluster = await startCluster();
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-api-db-'));
  const repo: TestRepo = makeRepo({ 'README.md': 'no manifests yet\n' });
  const ferret: FerretDB | undefined = backend === 'mongo' ? await startFerretDB() : undefined;
  // The suite seeds records with a second client: the agent must read them from the database.
  const database = ferret
    ? { uri: ferret.uri, name: 'driftguard_api', shared: true }
    : { path: join(dir, 'driftguard.db'), shared: true };
  const agent: AgentProcess = await startAgent({
    config: {
      server: { body_limit: BODY_LIMIT },
      kubernetes: { kubeconfig: plane.kubeconfig },
      git: { url: repo.dir, branch: repo.branch },
      // No periodic run: a full analysis would remove records of objects that are not in Git.
      drift: { periodic: false, interval: '1h' },
      database,
    },
  });
  await agent.waitReady(60_000);
  await agent.waitForLog(isEvent('analysis_completed'), 30_000);
  const store: Store = ferret
    ? new MongoStore({ uri: ferret.uri, name: 'driftguard_api', connectTimeoutMs: 5000 })
    : new SqliteStore({ path: database.path ?? agent.dbPath });
  await store.init();
  return {
    apiUrl: agent.apiUrl,
    healthUrl: agent.healthUrl,
    store,
    bodyLimitBytes: BODY_LIMIT,
    close: async () => {
      await store.close();
      await agent.stop();
      await ferret?.stop();
      repo.remove();
      rmSync(dir, { recursive: true, force: true });
      await plane.stop();
    },
  };
}

apiSuite('real agent process, embedded store', () => agentFixture('sqlite'));
apiSuite('real agent process, FerretDB', () => agentFixture('mongo'));

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** The value of the one sample matching name and labels (fails when there is none or several). */
function value(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = find(samples, name, labels);
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value ?? NaN;
}

describe('real agent: a drift made and undone with kubectl, as the API and metrics report it', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  const ID = 'Deployment:demo:web';
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx);
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=5']);
    await waitForRecord(agent, ID, (r) => r.drift_status === 'active');
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
    await waitForRecord(agent, ID, (r) => r.drift_status === 'resolved');
  });
  after(async () => {
    await fx?.stop();
  });

  it('counts the detected and the resolved drift with their labels', async () => {
    const text = await (await fetch(`${agent.healthUrl}/metrics`)).text();
    const m = parseMetrics(text);
    const labels = { type: 'Scaling', severity: 'medium', kind: 'Deployment' };
    assert.equal(value(m, 'driftguard_drift_events_total', { ...labels, event: 'detected' }), 1);
    assert.equal(value(m, 'driftguard_drift_events_total', { ...labels, event: 'resolved' }), 1);
    assert.equal(value(m, 'driftguard_resources_watched', { kind: 'Deployment' }), 3);
    assert.equal(value(m, 'driftguard_drift_score', {}), 0);
    assert.equal(value(m, 'driftguard_active_drifts', { severity: 'medium' }), 0);
    assert.ok(value(m, 'driftguard_sync_duration_seconds_count', { trigger: 'watch' }) >= 2);
    assert.match(text, /^process_cpu_seconds_total /m, 'Node process default metrics');
  });

  it('labels its own API requests by route pattern', async () => {
    await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(ID)}`);
    const m = parseMetrics(await (await fetch(`${agent.healthUrl}/metrics`)).text());
    const route = '/api/v1/drift-records/:resourceId';
    assert.ok(
      value(m, 'driftguard_api_request_duration_seconds_count', { method: 'GET', route, status: '200' }) >= 1,
    );
  });

  it('reports the episode in history and statistics', async () => {
    const h = await getJson<{ events: { event: string; message: string | null }[] }>(
      `${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(ID)}/history`,
    );
    assert.deepEqual(
      h.events.map((e) => e.event),
      ['resolved', 'detected'],
    );
    assert.match(h.events[0]?.message ?? '', /replicas back to 2/);
    const { statistics: s } = await getJson<{ statistics: Statistics }>(`${agent.apiUrl}/api/v1/statistics`);
    assert.equal(s.active_drifts, 0);
    assert.equal(s.resolved_drifts, 1);
    assert.ok(s.total_resources >= 10);
    assert.ok(s.mean_time_to_resolve_seconds !== null && s.mean_time_to_resolve_seconds >= 0);
    assert.ok(s.last_analysis && s.last_analysis.git_commit === fx.repo.head());
    assert.ok(s.trend.length >= 2);
  });

  it('answers /health and /ready on the API listener too, for the shared client', async () => {
    const client = new DriftGuardClient(agent.apiUrl);
    assert.deepEqual(await client.health(), { status: 'healthy', message: 'Service is running' });
    const ready = await client.ready();
    assert.equal(ready.status, 'ready');
    assert.equal(ready.message, 'All components ready');
  });

  it('runs an analysis on demand and reports it until completed', async () => {
    const res = await fetch(`${agent.apiUrl}/api/v1/analyze`, { method: 'POST' });
    assert.equal(res.status, 202);
    const started = (await res.json()) as { analysis_id: string; status: string };
    assert.equal(started.status, 'started');
    let status: AnalysisStatus | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      status = await getJson<AnalysisStatus>(`${agent.apiUrl}/api/v1/analyses/${started.analysis_id}`);
      if (status.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status?.status, 'completed');
    assert.equal(status?.trigger, 'manual');
    assert.ok((status?.resources ?? 0) >= 10);
    assert.equal(status?.drifted, 0);
  });
});
