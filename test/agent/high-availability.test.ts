// Two replicas, one leader; several clusters, one database. Real agent processes, each with the
// agent ServiceAccount's own token (TokenRequest) and the RBAC of manifests/, on the full cluster
// and one FerretDB:
// - exactly one leads (the Lease names it); SIGKILL it; the other leads within the lease duration
//   (plus the polling the algorithm allows); a drift made during the switch is recorded exactly
//   once (one record, one `detected` event, one Kubernetes Event); the survivor served the API
//   throughout;
// - two agents with different `cluster` names on the same database: neither removes or changes
//   the other's records through many full runs, and each can read the other's with ?cluster=.
// Why agent processes and not the image's pods: two replicas on the harness's one real node would
// share its host network (test/image/overlay.ts), and the test SIGKILLs exactly the leader at a
// moment it chooses. A pod deleted (SIGTERM) handing the Lease over and its replacement continuing
// the episode is proven with the image in test/image/real-node.test.ts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { allRecords, getRecord, waitForRecord } from '../kit/agent-fixture.ts';
import { applyManifests, serviceAccountDir, AGENT_NAMESPACE } from '../kit/in-cluster.ts';
import { runPlugin } from '../kit/plugin.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';
import { webDeployment } from '../kit/web-deployment.ts';

const LEASE = { lease_duration: '4s', renew_deadline: '3s', retry_period: '1s' };
const LEASE_MS = 4000;
const RETRY_MS = 1000;
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;
const web = webDeployment('shop');
const settings = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { mode: blue }
`;

async function leaderState(agent: AgentProcess): Promise<string> {
  const res = await fetch(`${agent.healthUrl}/ready`);
  const body = (await res.json()) as { components: { name: string; message: string }[] };
  return body.components.find((c) => c.name === 'leader')?.message ?? '(no leader component)';
}

interface History {
  events: { event: string; cluster: string }[];
}

describe('high availability and shared databases', () => {
  let cluster: Cluster;
  let db: FerretDB;
  let saDir: string;
  const repos: TestRepo[] = [];
  const agents: AgentProcess[] = [];

  before(async () => {
    cluster = await startCluster();
    db = await startFerretDB();
    await cluster.kubectlOk(['apply', '-f', '-'], { input: ns('shop') });
    await cluster.kubectlOk(['apply', '-f', '-'], { input: `${web}---\n${settings}` });
    await applyManifests(cluster);
    saDir = await serviceAccountDir(cluster);
  });
  after(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    for (const r of repos) r.remove();
    if (saDir) rmSync(saDir, { recursive: true, force: true });
    await db?.stop();
    await cluster?.stop();
  });

  /** An agent as the ServiceAccount, on the shared FerretDB, watching `repo`. */
  async function agent(
    repo: TestRepo,
    clusterName: string,
    database: string,
    extra: Record<string, Record<string, unknown>> = {},
  ): Promise<AgentProcess> {
    const a = await startAgent({
      config: {
        kubernetes: { in_cluster: true, cluster: clusterName },
        database: { uri: db.uri, name: database },
        git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
        // Each test's repos declare only part of namespace shop, so to each agent the rest would be
        // Unmanaged (test/agent/unmanaged.test.ts proves that); here only the drift Git declares counts.
        drift: { interval: '1s', periodic: true, unmanaged: 'ignore' },
        ...extra,
      },
      env: {
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(cluster.port),
        DRIFTGUARD_SERVICE_ACCOUNT_DIR: saDir,
      },
    });
    agents.push(a);
    return a;
  }

  it('one leader; after a SIGKILL the other leads within the lease and records the drift once', async () => {
    const repo = makeRepo({ 'manifests/web.yaml': web });
    repos.push(repo);
    const election = (identity: string) => ({
      leader_election: { enabled: true, namespace: AGENT_NAMESPACE, identity, ...LEASE },
      drift: { interval: '1s', periodic: true, events: true, unmanaged: 'ignore' },
    });
    const a = await agent(repo, 'east', 'ha', election('replica-a'));
    const b = await agent(repo, 'east', 'ha', election('replica-b'));
    await Promise.all([a.waitReady(60_000), b.waitReady(60_000)]);
    const states = await until(
      'one leader',
      async () => {
        const s = [await leaderState(a), await leaderState(b)];
        return s.filter((m) => m === 'leading').length === 1 &&
          s.every((m) => m !== 'following (no leader yet)')
          ? s
          : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const [leader, follower, followerId] =
      states[0] === 'leading' ? [a, b, 'replica-b'] : [b, a, 'replica-a'];
    const leaderId = followerId === 'replica-a' ? 'replica-b' : 'replica-a';
    assert.equal(
      states.find((s) => s !== 'leading'),
      `following ${leaderId}`,
    );
    const holder = await cluster.kubectlOk([
      '-n',
      AGENT_NAMESPACE,
      'get',
      'lease',
      'driftguard-agent',
      '-o',
      'jsonpath={.spec.holderIdentity}',
    ]);
    assert.equal(holder, leaderId);
    const id = 'Deployment:shop:web';
    // The leader wrote the record; the follower serves it from the store.
    await waitForRecord(follower, id, (r) => r.drift_status === 'none', 30_000);
    // Only the leader analyses: a follower refuses a manual analysis.
    const refused = await fetch(`${follower.apiUrl}/api/v1/analyze`, { method: 'POST' });
    assert.equal(refused.status, 503);

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    await cluster.kubectlOk(['-n', 'shop', 'scale', 'deployment/web', '--replicas=5']);
    let served = 0;
    let failed = 0;
    await until(
      'the follower leads',
      async () => {
        const res = await fetch(`${follower.apiUrl}/api/v1/drift-records`).catch(() => null);
        if (res?.ok) served++;
        else failed++;
        await res?.body?.cancel();
        return (await leaderState(follower)) === 'leading' ? true : undefined;
      },
      { timeoutMs: LEASE_MS + 2 * RETRY_MS + 2000, intervalMs: 50 },
    );
    const failoverMs = Date.now() - killedAt;
    process.stdout.write(
      `# failover: ${failoverMs} ms after SIGKILL (lease ${LEASE_MS} ms, retry ${RETRY_MS} ms); API answered ${served}/${served + failed} requests meanwhile\n`,
    );
    assert.equal(failed, 0, 'the follower served the API throughout');
    // client-go's rule: the record must look unrenewed for a full lease duration to the follower,
    // which sees a renewal at most one retry period late and looks once per retry period.
    assert.ok(failoverMs <= LEASE_MS + 2 * RETRY_MS, `failover took ${failoverMs} ms`);
    const rec = await waitForRecord(follower, id, (r) => r.drift_status === 'active', 15_000);
    assert.equal(rec.drift_type, 'Scaling');
    // A few more full runs: still one detected event, one Kubernetes Event.
    await new Promise((r) => setTimeout(r, 4000));
    const history = (await (
      await fetch(`${follower.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}/history`)
    ).json()) as History;
    assert.deepEqual(
      history.events.map((e) => `${e.event}/${e.cluster}`),
      ['detected/east'],
    );
    assert.equal((await allRecords(follower)).filter((r) => r.resource_id === id).length, 1);
    const events = JSON.parse(
      await cluster.kubectlOk([
        '-n',
        'shop',
        'get',
        'events',
        '--field-selector',
        'reason=DriftDetected',
        '-o',
        'json',
      ]),
    ) as { items: { message: string; type: string; involvedObject: { name: string } }[] };
    assert.equal(events.items.length, 1, JSON.stringify(events.items.map((e) => e.message)));
    assert.equal(events.items[0]?.type, 'Warning');
    assert.match(events.items[0]?.message ?? '', /^Scaling drift \(severity \w+, by kubectl-scale\)/);
    await cluster.kubectlOk(['-n', 'shop', 'scale', 'deployment/web', '--replicas=2']);
    await waitForRecord(follower, id, (r) => r.drift_status === 'resolved', 15_000);
  });

  it('two clusters on one database never touch each other’s records', async () => {
    const eastRepo = makeRepo({ 'manifests/web.yaml': web });
    const westRepo = makeRepo({ 'manifests/settings.yaml': settings });
    repos.push(eastRepo, westRepo);
    const east = await agent(eastRepo, 'east', 'shared');
    await east.waitReady(60_000);
    await waitForRecord(east, 'Deployment:shop:web', () => true, 30_000);
    const west = await agent(westRepo, 'west', 'shared');
    await west.waitReady(60_000);
    await waitForRecord(west, 'ConfigMap:shop:settings', () => true, 30_000);
    // Each runs a full analysis every second: wait for several of the other's runs.
    const runs = (a: AgentProcess) =>
      a.logs().filter((l) => l.includes('"event":"analysis_completed"')).length;
    const westBefore = runs(west);
    await until(
      'five more full runs of west',
      async () => (runs(west) >= westBefore + 5 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const eastRecords = await allRecords(east);
    assert.deepEqual(
      eastRecords.map((r) => r.resource_id),
      ['Deployment:shop:web'],
    );
    assert.equal(await getRecord(west, 'Deployment:shop:web'), null, 'west does not see east as its own');
    assert.deepEqual(
      (await allRecords(west)).map((r) => r.resource_id),
      ['ConfigMap:shop:settings'],
    );
    for (const a of [east, west])
      assert.ok(!a.logs().some((l) => l.includes('"event":"record_removed"')), 'no record removed');
    // Each reads the other's records on request.
    const res = await fetch(`${east.apiUrl}/api/v1/drift-records?cluster=west`);
    const other = (await res.json()) as { drift_records: { resource_id: string; cluster: string }[] };
    assert.deepEqual(
      other.drift_records.map((r) => `${r.cluster}/${r.resource_id}`),
      ['west/ConfigMap:shop:settings'],
    );
    // And so does the plugin, through the same API.
    const r = await runPlugin(['get', '--cluster', 'west', '-o', 'json', '--agent-url', east.apiUrl]);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as { drift_records: { resource_id: string; cluster: string }[] };
    assert.deepEqual(
      listed.drift_records.map((x) => `${x.cluster}/${x.resource_id}`),
      ['west/ConfigMap:shop:settings'],
    );
    const own = JSON.parse((await runPlugin(['get', '-o', 'json', '--agent-url', east.apiUrl])).stdout) as {
      drift_records: { cluster: string }[];
    };
    assert.deepEqual(
      own.drift_records.map((x) => x.cluster),
      ['east'],
    );
  });

  it('a kind the ServiceAccount may not read is named in /ready and the log; the others are analysed', async () => {
    const db = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: "mongo:8.0.4" }] }
`;
    const repo = makeRepo({ 'manifests/web.yaml': web, 'manifests/db.yaml': db });
    repos.push(repo);
    const a = await agent(repo, 'north', 'forbidden', {
      kubernetes: { in_cluster: true, cluster: 'north', resource_types: ['Deployment', 'StatefulSet'] },
    });
    await waitForRecord(a, 'Deployment:shop:web', () => true, 30_000);
    const ready = await fetch(`${a.healthUrl}/ready`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { components: { name: string; ready: boolean; message: string }[] };
    const perms = body.components.find((c) => c.name === 'permissions');
    assert.equal(perms?.ready, false);
    assert.match(perms?.message ?? '', /forbidden: list\/watch StatefulSet \(cluster-wide\)/);
    assert.ok(body.components.filter((c) => c.name !== 'permissions').every((c) => c.ready));
    assert.ok(a.logs().some((l) => l.includes('"event":"permission_denied"') && l.includes('StatefulSet')));
    // Never reported as drift (it would look Missing): no record at all.
    assert.equal(await getRecord(a, 'StatefulSet:shop:db'), null);
  });
});
