// Faults of the agent on MongoDB (FerretDB) on the full cluster, each agent run as the shipped
// ServiceAccount (TokenRequest token, the RBAC of manifests/): FerretDB SIGKILLed in the middle of
// a full analysis of 1,000 objects, an object deleted and recreated and one renamed in Git, and
// two replicas whose leader is SIGKILLed while it writes. Lost and doubled transitions are counted
// from the store itself (the drift_events collection, read with a second client) against the
// transitions the changes made imply.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { freePort } from '../cluster/ports.ts';
import { makeRepo, type TestRepo } from '../git/repos.ts';
import { isEvent, waitForRecord } from '../agent/fixture.ts';
import { AGENT_NAMESPACE, applyManifests, serviceAccountDir } from '../agent/in-cluster.ts';
import { startAgent, type AgentProcess } from '../agent/run-agent.ts';
import { component, readyState, sleep, waitReadyState } from './helpers.ts';
import { compareHistory, faultCase } from './recorder.ts';

const BULK = 1000;
const cmName = (i: number) => `cm-${String(i).padStart(4, '0')}`;
const cmId = (ns: string, i: number) => `ConfigMap:${ns}:${cmName(i)}`;
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;
const configMaps = (namespace: string, n: number, value: (i: number) => string, from = 0) =>
  Array.from(
    { length: n },
    (_, k) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${cmName(from + k)}, namespace: ${namespace} }\ndata: { v: "${value(from + k)}" }\n`,
  ).join('---\n');
const single = (name: string, namespace: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${namespace} }\ndata: { v: "${v}" }\n`;

interface StoredEvent {
  resource_id: string;
  event: string;
  time: string;
  cluster?: string;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

describe('faults on MongoDB (FerretDB), renames, two replicas', () => {
  let cluster: Cluster;
  let db: FerretDB;
  let dbPort: number;
  let dbDir: string;
  let saDir: string;
  let client: MongoClient;
  const repos: TestRepo[] = [];
  const agents: AgentProcess[] = [];

  before(async () => {
    dbPort = await freePort();
    dbDir = mkdtempSync(join(tmpdir(), 'driftguard-faults-ferret-'));
    db = await startFerretDB({ port: dbPort, dir: dbDir });
    cluster = await startCluster();
    await applyManifests(cluster);
    saDir = await serviceAccountDir(cluster);
    client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 5000, retryWrites: false });
  });
  after(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    for (const r of repos) r.remove();
    await client?.close().catch(() => undefined);
    await db?.stop();
    await cluster?.stop();
    if (saDir) rmSync(saDir, { recursive: true, force: true });
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  });

  /** An agent as the shipped ServiceAccount on database `name` of the FerretDB. */
  async function agent(repo: TestRepo, name: string, extra: Record<string, Record<string, unknown>> = {}) {
    const a = await startAgent({
      config: {
        kubernetes: { in_cluster: true },
        database: { uri: db.uri, name, connect_timeout: '2s' },
        git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
        drift: { periodic: false, interval: '1s' },
        ...extra,
      },
      env: {
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(cluster.port),
        DRIFTGUARD_SERVICE_ACCOUNT_DIR: saDir,
      },
      startTimeoutMs: 90_000,
    });
    agents.push(a);
    return a;
  }

  /** Every stored event of these ids, grouped by id (oldest first). */
  async function storedEvents(database: string, ids: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const out = new Map<string, StoredEvent[]>(ids.map((id) => [id, []]));
    const docs = await client
      .db(database)
      .collection<StoredEvent>('drift_events')
      .find({}, { projection: { _id: 0, resource_id: 1, event: 1, time: 1 } })
      .toArray();
    for (const d of docs) out.get(d.resource_id)?.push(d);
    for (const list of out.values()) list.sort((a, b) => a.time.localeCompare(b.time));
    return out;
  }

  /** Lost/duplicated over `made` (id → transitions in order), from the store's events. */
  async function tally(database: string, made: Map<string, string[]>) {
    const stored = await storedEvents(database, [...made.keys()]);
    let lost = 0;
    let duplicated = 0;
    const wrong: string[] = [];
    for (const [id, want] of made) {
      const got = stored.get(id) ?? [];
      const c = compareHistory(want, got);
      lost += c.lost;
      duplicated += c.duplicated;
      // Order too: the stored episode must read as the changes were made.
      const order = got.map((e) => e.event).join(',');
      if (c.lost === 0 && c.duplicated === 0 && order !== want.join(','))
        wrong.push(`${id}: ${order} (made ${want.join(',')})`);
    }
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} histories out of order`);
    return { lost, duplicated };
  }

  async function eventCount(database: string, filter: Record<string, unknown>): Promise<number> {
    return client.db(database).collection('drift_events').countDocuments(filter);
  }

  it('FerretDB SIGKILLed in the middle of a full analysis of 1,000 objects: every transition written once', async (t) => {
    await faultCase(t, 'FerretDB SIGKILL mid full analysis (1,000 objects)', async () => {
      const NS = 'bulk';
      await cluster.kubectlOk(['apply', '-f', '-'], { input: ns(NS) });
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, BULK, () => '1') });
      const web = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${NS} }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27.3" }] }
`;
      await cluster.kubectlOk(['apply', '-f', '-'], { input: web });
      const repo = makeRepo({
        'manifests/ns.yaml': ns(NS),
        'manifests/bulk.yaml': configMaps(NS, BULK, () => '1'),
        'manifests/web.yaml': web,
      });
      repos.push(repo);
      const a = await agent(repo, 'bulk');
      await a.waitReady(120_000);
      await a.waitForLog(isEvent('analysis_completed'), 120_000);
      const made = new Map<string, string[]>();
      for (let i = 0; i < BULK; i++) made.set(cmId(NS, i), ['detected']);
      // Git changes all 1,000: the full analysis that follows detects 1,000 drifts and writes them.
      const from = a.logs().length;
      repo.commit({ 'manifests/bulk.yaml': configMaps(NS, BULK, () => '2') }, 'bulk: v2');
      // The kill as soon as the first of them is in the database, while the run still writes.
      const atKill = await until('the first detection stored', 120_000, async () => {
        const n = await eventCount('bulk', { event: 'detected' });
        return n > 0 ? n : undefined;
      });
      await db.kill();
      const completedBeforeKill = a
        .logs()
        .slice(from)
        .some((l) => l.includes('"event":"analysis_completed"'));
      await a.waitForLog((l) => l['event'] === 'store_write_failed', 60_000);
      // The run goes on with its writes queued in memory and completes; only then the changes
      // made meanwhile, so each of them follows its detection: 100 put right live (detected, then
      // resolved) and web scaled.
      await until('the full analysis completed', 180_000, async () =>
        a
          .logs()
          .slice(from)
          .some((l) => l.includes('"event":"analysis_completed"'))
          ? true
          : undefined,
      );
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, 100, () => '2') });
      for (let i = 0; i < 100; i++) made.set(cmId(NS, i), ['detected', 'resolved']);
      await cluster.kubectlOk(['-n', NS, 'scale', 'deployment/web', '--replicas=4']);
      made.set(`Deployment:${NS}:web`, ['detected']);
      const down = await waitReadyState(a, (s) => s.code === 503 && /store/.test(s.message), 30_000);
      await sleep(3000);
      assert.equal(a.child.exitCode, null, 'the agent kept running');
      db = await startFerretDB({ port: dbPort, dir: dbDir });
      await a.waitForLog(isEvent('store_recovered'), 120_000);
      await waitReadyState(a, (s) => s.code === 200, 60_000);
      // Every transition in the store (1,000 detected, 100 resolved, web), then a few more seconds
      // for anything doubled to show up too.
      const want = BULK + 100 + 1;
      await until('every transition stored', 120_000, async () =>
        (await eventCount('bulk', {})) >= want ? true : undefined,
      );
      await sleep(3000);
      const counts = await tally('bulk', made);
      const records = client.db('bulk').collection('drift_records');
      const active = await records.countDocuments({ drift_status: 'active' });
      const resolved = await records.countDocuments({ drift_status: 'resolved' });
      assert.equal(active, BULK - 100 + 1, 'active records: 900 ConfigMaps and web');
      assert.equal(resolved, 100);
      await a.stop();
      return {
        ...counts,
        note: `killed with ${atKill}/${BULK} detections stored (run ${completedBeforeKill ? 'had completed' : 'still writing'}); /ready meanwhile ${down.code} (${component(down, 'store').slice(0, 60)}); ${await eventCount('bulk', {})} events stored, ${active} active, ${resolved} resolved`,
      };
    });
  });

  it('deleted and recreated with the same name, renamed in Git: one coherent history', async (t) => {
    await faultCase(t, 'delete + recreate, rename in Git', async () => {
      const NS = 'life';
      await cluster.kubectlOk(['apply', '-f', '-'], { input: ns(NS) });
      const reborn = single('reborn', NS, 'a');
      const old = single('old-name', NS, 'x');
      await cluster.kubectlOk(['apply', '-f', '-'], { input: `${reborn}---\n${old}` });
      const repo = makeRepo({
        'manifests/ns.yaml': ns(NS),
        'manifests/reborn.yaml': reborn,
        'manifests/old-name.yaml': old,
      });
      repos.push(repo);
      const a = await agent(repo, 'life');
      await a.waitReady(120_000);
      await a.waitForLog(isEvent('analysis_completed'), 60_000);
      const REBORN = `ConfigMap:${NS}:reborn`;
      const OLD = `ConfigMap:${NS}:old-name`;
      const NEW = `ConfigMap:${NS}:new-name`;
      await waitForRecord(a, OLD, (r) => r.drift_status === 'none', 30_000);
      // Deleted (Missing), recreated as Git says (resolved), deleted and recreated with other data
      // in one go (one drift episode: detected once, however many watch events it took).
      await cluster.kubectlOk(['-n', NS, 'delete', 'configmap', 'reborn']);
      await waitForRecord(
        a,
        REBORN,
        (r) => r.drift_status === 'active' && r.drift_type === 'Missing',
        30_000,
      );
      await cluster.kubectlOk(['apply', '-f', '-'], { input: reborn });
      await waitForRecord(a, REBORN, (r) => r.drift_status === 'resolved', 30_000);
      await cluster.kubectlOk(['-n', NS, 'delete', 'configmap', 'reborn']);
      await cluster.kubectlOk(['apply', '-f', '-'], { input: single('reborn', NS, 'b') });
      const drifted = await waitForRecord(
        a,
        REBORN,
        (r) => r.drift_status === 'active' && r.drift_type === 'ConfigMapChange',
        30_000,
      );
      await cluster.kubectlOk(['apply', '-f', '-'], { input: reborn });
      await waitForRecord(a, REBORN, (r) => r.drift_status === 'resolved', 30_000);
      // Renamed in Git (the file and the object), then the cluster follows: the new name is
      // Missing until it is applied, the old one's record goes (its history stays), and deleting
      // the old object afterwards records nothing.
      repo.commit(
        { 'manifests/old-name.yaml': null, 'manifests/new-name.yaml': single('new-name', NS, 'x') },
        'rename old-name to new-name',
      );
      await waitForRecord(a, NEW, (r) => r.drift_status === 'active' && r.drift_type === 'Missing', 30_000);
      await a.waitForLog(isEvent('record_removed', OLD), 30_000);
      await cluster.kubectlOk(['apply', '-f', '-'], { input: single('new-name', NS, 'x') });
      await waitForRecord(a, NEW, (r) => r.drift_status === 'resolved', 30_000);
      await cluster.kubectlOk(['-n', NS, 'delete', 'configmap', 'old-name']);
      await sleep(3000);
      const recordsOf = async (id: string) =>
        client.db('life').collection('drift_records').countDocuments({ resource_id: id });
      assert.equal(await recordsOf(OLD), 0, "the old name's record is gone");
      assert.equal(await recordsOf(NEW), 1, 'the new name has one record');
      assert.equal(await recordsOf(REBORN), 1, 'the recreated object has one record');
      const activeNow = await client
        .db('life')
        .collection('drift_records')
        .countDocuments({ drift_status: 'active' });
      assert.equal(activeNow, 0, 'no active record left');
      const oldHistory = await (
        await fetch(`${a.apiUrl}/api/v1/drift-records/${encodeURIComponent(OLD)}/history`)
      ).json();
      const counts = await tally(
        'life',
        new Map([
          [REBORN, ['detected', 'resolved', 'detected', 'resolved']],
          [NEW, ['detected', 'resolved']],
          [OLD, []],
        ]),
      );
      await a.stop();
      return {
        ...counts,
        note: `reborn: Missing then ${drifted.drift_type}, 2 episodes; old name's record removed (history ${JSON.stringify(oldHistory).slice(0, 60)}); new name Missing → resolved`,
      };
    });
  });

  it('two replicas: the leader SIGKILLed while it writes; the other takes over, nothing lost or doubled', async (t) => {
    await faultCase(t, 'two replicas: leader SIGKILL mid-write', async () => {
      const NS = 'ha';
      const N = 60;
      await cluster.kubectlOk(['apply', '-f', '-'], { input: ns(NS) });
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, N, () => '1') });
      const repo = makeRepo({
        'manifests/ns.yaml': ns(NS),
        'manifests/cms.yaml': configMaps(NS, N, () => '1'),
      });
      repos.push(repo);
      const election = (identity: string) => ({
        leader_election: {
          enabled: true,
          namespace: AGENT_NAMESPACE,
          identity,
          lease_duration: '4s',
          renew_deadline: '3s',
          retry_period: '1s',
        },
        drift: { periodic: true, interval: '2s' },
      });
      const ra = await agent(repo, 'ha', election('replica-a'));
      const rb = await agent(repo, 'ha', election('replica-b'));
      await Promise.all([ra.waitReady(120_000), rb.waitReady(120_000)]);
      const leaderOf = async () => {
        const [sa, sb] = [await readyState(ra), await readyState(rb)];
        const la = component(sa, 'leader');
        const lb = component(sb, 'leader');
        if (la === 'leading' && lb.startsWith('following replica-a')) return { leader: ra, follower: rb };
        if (lb === 'leading' && la.startsWith('following replica-b')) return { leader: rb, follower: ra };
        return undefined;
      };
      const { leader, follower } = await until('one leader', 30_000, leaderOf);
      await until('the records written', 60_000, async () =>
        (await client.db('ha').collection('drift_records').countDocuments({})) >= N ? true : undefined,
      );
      // N drifts at once; the kill as soon as the leader has stored the first of them.
      const made = new Map<string, string[]>();
      for (let i = 0; i < N; i++) made.set(cmId(NS, i), ['detected']);
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, N, () => '2') });
      const atKill = await until('the first detection stored', 60_000, async () => {
        const n = await eventCount('ha', { event: 'detected' });
        return n > 0 ? n : undefined;
      });
      leader.child.kill('SIGKILL');
      const killedAt = Date.now();
      await until('the follower leads', 30_000, async () =>
        component(await readyState(follower), 'leader') === 'leading' ? true : undefined,
      );
      const failoverMs = Date.now() - killedAt;
      await until('every detection stored', 60_000, async () =>
        (await eventCount('ha', { event: 'detected' })) >= N ? true : undefined,
      );
      // Put right, with the new leader: one resolved each.
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, N, () => '1') });
      for (let i = 0; i < N; i++) made.set(cmId(NS, i), ['detected', 'resolved']);
      await until('every resolution stored', 60_000, async () =>
        (await eventCount('ha', { event: 'resolved' })) >= N ? true : undefined,
      );
      // A few more full runs of the new leader (every 2 s): nothing doubled meanwhile.
      await sleep(5000);
      const counts = await tally('ha', made);
      const records = await client.db('ha').collection('drift_records').countDocuments({});
      assert.equal(records, N + 1, 'one record per object (and the Namespace)');
      return {
        ...counts,
        note: `killed with ${atKill}/${N} detections stored; failover ${(failoverMs / 1000).toFixed(1)} s (lease 4 s)`,
      };
    });
  });
});
