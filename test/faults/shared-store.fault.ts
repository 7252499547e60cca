// Faults of the agent on MongoDB (FerretDB) on the full cluster, each agent run as the shipped
// ServiceAccount (TokenRequest token, the RBAC of manifests/): FerretDB SIGKILLed in the middle of
// a full analysis of 1,000 objects, an object deleted and recreated and one renamed in Git, and
// two replicas whose leader is SIGKILLed while it writes. Lost and doubled transitions are counted
// from the store itself (the drift_events collection, read with a second client) against the
// transitions the changes made imply.
// Why local agent processes and not the image on the real node: FerretDB is killed at a log line
// of the agent's full analysis; the replicas case needs two agents, one SIGKILLed while it writes,
// and the one real node runs a single agent pod (its host network, test/image/overlay.ts); the
// security case's agent only serves the plugin, whose pod lookup and port-forward through the
// real kubelet to the image test/plugin/in-cluster.test.ts proves.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { freePort } from '../cluster/ports.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { isEvent, waitForRecord } from '../kit/agent-fixture.ts';
import {
  AGENT_API_PORT,
  AGENT_NAMESPACE,
  AGENT_SELECTOR,
  AGENT_SERVICE_ACCOUNT,
  applyManifests,
  serviceAccountDir,
} from '../kit/in-cluster.ts';
import { parseConfig } from '../../agent/config/load.ts';
import { build, find, MANIFESTS, OVERLAYS } from '../manifests/kustomize.ts';
import { runPlugin } from '../kit/plugin.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { component, readyState, sleep, waitReadyState } from './helpers.ts';
import { compareHistory, faultCase } from './recorder.ts';
import { until } from '../kit/poll.ts';
import { webDeployment } from '../kit/web-deployment.ts';

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

/** Every file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('faults on MongoDB (FerretDB), renames, two replicas', () => {
  let cluster: Cluster;
  let db: FerretDB;
  let dbPort: number;
  let dbDir: string;
  /** FerretDB killed and not started again (a failed case must not leave the next without it). */
  let dbDown = false;
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

  /** Stops the agents of an earlier case (one that failed left its agent running). */
  async function retireAgents(): Promise<void> {
    for (const a of agents.splice(0)) await a.stop().catch(() => undefined);
    if (dbDown) {
      db = await startFerretDB({ port: dbPort, dir: dbDir });
      dbDown = false;
    }
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
    let updated = 0;
    for (const [id, want] of made) {
      // `updated` (the drifted values changed within an episode) is no transition of its own.
      const all = stored.get(id) ?? [];
      const got = all.filter((e) => e.event !== 'updated');
      updated += all.length - got.length;
      const c = compareHistory(want, got);
      lost += c.lost;
      duplicated += c.duplicated;
      // Order too: the stored episode must read as the changes were made.
      const order = got.map((e) => e.event).join(',');
      if (c.lost === 0 && c.duplicated === 0 && order !== want.join(','))
        wrong.push(`${id}: ${order} (made ${want.join(',')})`);
    }
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} histories out of order`);
    if (lost || duplicated)
      for (const [id, want] of made)
        process.stdout.write(
          `# ${id}: made ${want.join(',')}; stored ${(stored.get(id) ?? []).map((e) => e.event).join(',')}\n`,
        );
    return { lost, duplicated, updated };
  }

  async function eventCount(database: string, filter: Record<string, unknown>): Promise<number> {
    return client.db(database).collection('drift_events').countDocuments(filter);
  }

  it('FerretDB SIGKILLed in the middle of a full analysis of 1,000 objects: every transition written once', async (t) => {
    await faultCase(t, 'FerretDB SIGKILL mid full analysis (1,000 objects)', async () => {
      await retireAgents();
      const NS = 'bulk';
      await cluster.kubectlOk(['apply', '-f', '-'], { input: ns(NS) });
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, BULK, () => '1') });
      const web = webDeployment(NS);
      await cluster.kubectlOk(['apply', '-f', '-'], { input: web });
      // Git says v2 for all 1,000 (live is v1): the agent's first full analysis detects 1,000
      // drifts and writes them; FerretDB is killed as soon as the first of them is stored.
      const repo = makeRepo({
        'manifests/ns.yaml': ns(NS),
        'manifests/bulk.yaml': configMaps(NS, BULK, () => '2'),
        'manifests/web.yaml': web,
      });
      repos.push(repo);
      const made = new Map<string, string[]>();
      for (let i = 0; i < BULK; i++) made.set(cmId(NS, i), ['detected']);
      const a = await agent(repo, 'bulk');
      const atKill = await until(
        'the first detection stored',
        async () => {
          const n = await eventCount('bulk', { event: 'detected' });
          return n > 0 ? n : undefined;
        },
        { timeoutMs: 240_000, intervalMs: 100 },
      );
      await db.kill();
      dbDown = true;
      const completedBeforeKill = a.logs().some((l) => l.includes('"event":"analysis_completed"'));
      await a.waitForLog((l) => l['event'] === 'store_write_failed', 60_000);
      // The run goes on with its writes queued in memory and completes; only then the changes
      // made meanwhile, so each follows its detection: 100 put right live (detected, then
      // resolved) and web scaled.
      const completed = await a.waitForLog(isEvent('analysis_completed'), 240_000);
      assert.equal(completed['detected'], BULK, 'the full run detected all 1,000');
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, 100, () => '2') });
      for (let i = 0; i < 100; i++) made.set(cmId(NS, i), ['detected', 'resolved']);
      await cluster.kubectlOk(['-n', NS, 'scale', 'deployment/web', '--replicas=4']);
      made.set(`Deployment:${NS}:web`, ['detected']);
      // Seen by the agent while the database is down (single records are served from memory).
      for (let i = 0; i < 100; i++)
        await waitForRecord(a, cmId(NS, i), (r) => r.drift_status === 'resolved', 60_000);
      await waitForRecord(a, `Deployment:${NS}:web`, (r) => r.drift_status === 'active', 60_000);
      const down = await waitReadyState(a, (s) => s.code === 503 && /store/.test(s.message), 30_000);
      await sleep(3000);
      assert.equal(a.child.exitCode, null, 'the agent kept running');
      db = await startFerretDB({ port: dbPort, dir: dbDir });
      dbDown = false;
      await a.waitForLog(isEvent('store_recovered'), 120_000);
      await waitReadyState(a, (s) => s.code === 200, 60_000);
      // Every transition in the store (1,000 detected, 100 resolved, web), then a few more seconds
      // for anything doubled to show up too.
      const want = BULK + 100 + 1;
      await until(
        'every transition stored',
        async () => ((await eventCount('bulk', {})) >= want ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 100 },
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
        note: `killed with ${atKill}/${BULK} detections stored (run ${completedBeforeKill ? 'had completed' : 'still writing'}, completed in ${completed['duration_ms']} ms with the writes queued); /ready meanwhile ${down.code} (${component(down, 'store').slice(0, 60)}); ${await eventCount('bulk', {})} events stored, ${active} active, ${resolved} resolved`,
      };
    });
  });

  it('deleted and recreated with the same name, renamed in Git: one coherent history', async (t) => {
    await faultCase(t, 'delete + recreate, rename in Git', async () => {
      await retireAgents();
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
      // Missing until it is applied; the old object, still live but declared no more, is
      // Unmanaged until it is deleted, which resolves its record.
      repo.commit(
        { 'manifests/old-name.yaml': null, 'manifests/new-name.yaml': single('new-name', NS, 'x') },
        'rename old-name to new-name',
      );
      await waitForRecord(a, NEW, (r) => r.drift_status === 'active' && r.drift_type === 'Missing', 30_000);
      await waitForRecord(a, OLD, (r) => r.drift_status === 'active' && r.drift_type === 'Unmanaged', 30_000);
      await cluster.kubectlOk(['apply', '-f', '-'], { input: single('new-name', NS, 'x') });
      await waitForRecord(a, NEW, (r) => r.drift_status === 'resolved', 30_000);
      await cluster.kubectlOk(['-n', NS, 'delete', 'configmap', 'old-name']);
      await waitForRecord(a, OLD, (r) => r.drift_status === 'resolved', 30_000);
      await sleep(3000);
      const recordsOf = async (id: string) =>
        client.db('life').collection('drift_records').countDocuments({ resource_id: id });
      assert.equal(await recordsOf(OLD), 1, 'the old name has one record (resolved)');
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
          [OLD, ['detected', 'resolved']],
        ]),
      );
      await a.stop();
      return {
        ...counts,
        note: `reborn: Missing then ${drifted.drift_type}, 2 episodes (${counts.updated} updated within one); old name Unmanaged → resolved on delete (${(oldHistory as { events: unknown[] }).events.length} events); new name Missing → resolved`,
      };
    });
  });

  it('security: the shipped read-only RBAC suffices and cannot write; the plugin writes no credential; the API on loopback', async (t) => {
    await faultCase(t, 'security: read-only RBAC, no credential on disk, API on loopback', async () => {
      await retireAgents();
      const NS = 'sec';
      const notes: string[] = [];
      await cluster.kubectlOk(['apply', '-f', '-'], { input: `${ns(NS)}---\n${single('probe', NS, 'a')}` });
      const repo = makeRepo({
        'manifests/ns.yaml': ns(NS),
        'manifests/probe.yaml': single('probe', NS, 'a'),
      });
      repos.push(repo);
      // The agent works as the ServiceAccount: ready (no permissions component failing), tracking.
      const a = await agent(repo, 'sec', { drift: { periodic: false, interval: '1s', events: true } });
      await a.waitReady(120_000);
      const PROBE = `ConfigMap:${NS}:probe`;
      await waitForRecord(a, PROBE, (r) => r.drift_status === 'none', 60_000);
      // What the ServiceAccount may do, as kube-apiserver's authorizer answers it.
      const sa = `system:serviceaccount:${AGENT_NAMESPACE}:${AGENT_SERVICE_ACCOUNT}`;
      const list = await cluster.kubectlOk(['auth', 'can-i', '--list', `--as=${sa}`, '-n', NS]);
      const writes = list
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s{2,}/))
        .filter((cols) => cols.length >= 4)
        .filter(([resource, , , verbs]) => /create|update|patch|delete|\*/.test(verbs ?? '') && resource)
        .map(([resource, , , verbs]) => `${resource} ${verbs}`);
      // Only Events (drift.events), the self-reviews every authenticated user has, and create/patch
      // of the tracked kinds for confirm's dry-runs (the shipped policy refuses them unless dry-run).
      const allowed =
        /^(events|selfsubject\w*\.authorization\.k8s\.io|selfsubjectreviews\.authentication\.k8s\.io) /;
      const writeVerbs = (w: string) =>
        (w.split('[')[1] ?? '')
          .replace(']', '')
          .split(' ')
          .filter((v) => !['get', 'list', 'watch'].includes(v))
          .sort()
          .join(' ');
      const dryRunOnly = (w: string) => writeVerbs(w) === 'create patch';
      assert.deepEqual(
        writes.filter((w) => !allowed.test(w) && !dryRunOnly(w)),
        [],
        `the agent's ServiceAccount may write more than Events in ${NS}:\n${list}`,
      );
      // And real writes as it are refused.
      const refused: string[] = [];
      for (const args of [
        ['create', 'configmap', 'sa-write', '-n', NS, '--from-literal=a=b'],
        ['-n', NS, 'patch', 'configmap/probe', '-p', '{"data":{"v":"hacked"}}'],
        ['-n', NS, 'delete', 'configmap', 'probe'],
        ['-n', NS, 'create', 'secret', 'generic', 'sa-secret', '--from-literal=a=b'],
        ['-n', AGENT_NAMESPACE, 'delete', 'deployment', 'driftguard-agent'],
      ]) {
        const r = await cluster.kubectl([...args, `--as=${sa}`]);
        assert.notEqual(r.code, 0, `allowed as the agent: kubectl ${args.join(' ')}`);
        // Refused by RBAC (forbidden), or by the dry-run-only policy where RBAC allows it for confirm.
        assert.match(r.stderr, /forbidden|driftguard-agent-dry-run-only.*denied request/i);
        refused.push(args.slice(0, 3).join(' '));
      }
      notes.push(
        `${refused.length} writes refused as the SA; write verbs only on ${writes.map((w) => w.split(' ')[0]).join(', ')}`,
      );

      // The plugin through its own port-forward (the kubeconfig's token is the credential), with
      // HOME and TMPDIR of its own: afterwards neither holds the token or any key material.
      await cluster.forwardPod(
        AGENT_NAMESPACE,
        { selector: AGENT_SELECTOR },
        AGENT_API_PORT,
        Number(new URL(a.apiUrl).port),
      );
      const home = mkdtempSync(join(tmpdir(), 'driftguard-faults-home-'));
      const tmp = mkdtempSync(join(tmpdir(), 'driftguard-faults-tmp-'));
      try {
        const env = { HOME: home, TMPDIR: tmp, KUBECONFIG: cluster.kubeconfig };
        for (const args of [
          ['status'],
          ['get', '-o', 'json'],
          ['describe', PROBE],
          ['analyze', '-o', 'json'],
          ['diff', 'configmap/probe', '-n', NS],
          ['version'],
        ]) {
          const r = await runPlugin(args, { env, timeoutMs: 120_000 });
          assert.ok(
            r.code === 0 || r.code === 1,
            `kubectl driftguard ${args.join(' ')}: ${r.code} ${r.stderr}`,
          );
        }
        const token = /token:\s*(\S+)/.exec(readFileSync(cluster.kubeconfig, 'utf8'))?.[1] ?? '';
        assert.ok(token.length > 8, 'the kubeconfig carries a token');
        const files = [home, tmp].flatMap((d) => walk(d));
        const holding = files.filter((f) => {
          const text = readFileSync(f).toString('latin1');
          return text.includes(token) || /PRIVATE KEY|client-key-data|client-certificate-data/.test(text);
        });
        assert.deepEqual(holding, [], 'files holding a credential');
        notes.push(
          `6 plugin commands over the port-forward; ${files.length} files left in HOME/TMPDIR, none with a credential`,
        );
      } finally {
        rmSync(home, { recursive: true, force: true });
        rmSync(tmp, { recursive: true, force: true });
      }

      // The shipped manifests (base and overlays, built as kubectl apply -k builds them): the API
      // on 127.0.0.1 (reached only through a port-forward), the Service only on the health port.
      for (const dir of [MANIFESTS, ...OVERLAYS.map((o) => join(MANIFESTS, 'overlays', o))]) {
        const docs = await build(dir);
        const cm = find(docs, 'ConfigMap', 'driftguard-config') as { data?: Record<string, string> };
        const config = parseConfig(cm.data?.['config.yaml'] ?? '');
        assert.equal(config.server.address, '127.0.0.1', `${dir}: API address`);
        const svc = find(docs, 'Service') as { spec?: { ports?: { port: number }[] } };
        assert.deepEqual(
          (svc.spec?.ports ?? []).map((p) => p.port),
          [config.server.health_port],
          `${dir}: the Service exposes only the health port`,
        );
      }
      notes.push(`API on 127.0.0.1 in manifests/ and ${OVERLAYS.length} overlays`);
      await a.stop();
      return { note: notes.join('; ') };
    });
  });

  it('two replicas: the leader SIGKILLed while it writes; the other takes over, nothing lost or doubled', async (t) => {
    await faultCase(t, 'two replicas: leader SIGKILL mid-write', async () => {
      await retireAgents();
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
      const { leader, follower } = await until('one leader', leaderOf, {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      await until(
        'the records written',
        async () =>
          (await client.db('ha').collection('drift_records').countDocuments({})) >= N ? true : undefined,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // N drifts, one kubectl patch after another, so the leader keeps writing while they come
      // in; the kill as soon as it has stored the first of them, with the rest still arriving.
      const made = new Map<string, string[]>();
      for (let i = 0; i < N; i++) made.set(cmId(NS, i), ['detected']);
      let patched = 0;
      const patching = (async () => {
        for (let i = 0; i < N; i++) {
          await cluster.kubectlOk(['-n', NS, 'patch', `configmap/${cmName(i)}`, '-p', '{"data":{"v":"2"}}']);
          patched++;
        }
      })();
      const atKill = await until(
        'the first detection stored',
        async () => {
          const n = await eventCount('ha', { event: 'detected' });
          return n > 0 ? n : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      leader.child.kill('SIGKILL');
      const patchedAtKill = patched;
      const killedAt = Date.now();
      await until(
        'the follower leads',
        async () => (component(await readyState(follower), 'leader') === 'leading' ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const failoverMs = Date.now() - killedAt;
      await patching;
      await until(
        'every detection stored',
        async () => ((await eventCount('ha', { event: 'detected' })) >= N ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // Put right, with the new leader: one resolved each.
      await cluster.kubectlOk(['apply', '-f', '-'], { input: configMaps(NS, N, () => '1') });
      for (let i = 0; i < N; i++) made.set(cmId(NS, i), ['detected', 'resolved']);
      await until(
        'every resolution stored',
        async () => ((await eventCount('ha', { event: 'resolved' })) >= N ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // A few more full runs of the new leader (every 2 s): nothing doubled meanwhile.
      await sleep(5000);
      const counts = await tally('ha', made);
      const records = await client.db('ha').collection('drift_records').countDocuments({});
      assert.equal(records, N, 'one record per object');
      return {
        ...counts,
        note: `killed with ${atKill}/${N} detections stored, ${patchedAtKill}/${N} changes made; failover ${(failoverMs / 1000).toFixed(1)} s (lease 4 s)`,
      };
    });
  });
});
