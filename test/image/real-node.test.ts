// What users install is what this proves: the agent's real image (npm run build:image) on a real
// node (kubelet + containerd + runc, test/cluster/node), installed with `kubectl apply -k` of the
// shipped manifests through the small test overlay (overlay.ts), storing in FerretDB and reading
// Git over smart HTTP with the token from the shipped Secret. Skips, with the reason, on a host
// that cannot run a real node or has no image built.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { startGitHttpServer, type GitHttpServer } from '../git/http-backend.ts';
import { until } from '../kit/poll.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../kit/repos.ts';
import { ROOT, runPlugin } from '../kit/plugin.ts';
import { writeTestOverlay } from './overlay.ts';
import {
  AGENT_NS,
  agentPods,
  builtImage,
  podExec,
  podMemory,
  realNodeSkipReason,
  waitPods,
  type BuiltImage,
  type PodInfo,
} from './pod.ts';

const skip = realNodeSkipReason();
if (skip) console.log(`# real-node suite skipped: ${skip}`);

const GIT_TOKEN = 'real-node-token';
const WEB = 'Deployment:demo:web';
/** Sizes the pod's memory is measured at (objects besides the examples); 10,000 by request. */
const SIZES = (process.env['DRIFTGUARD_POD_RSS_SIZES'] ?? '1000').split(',').map(Number);
const API = 'http://127.0.0.1:8080';
const HEALTH = 'http://127.0.0.1:8081';

let cluster: Cluster;
let image: BuiltImage;
let db: FerretDB;
let dbDir: string;
let git: GitHttpServer;
let repo: TestRepo;
let pod: PodInfo;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Rec {
  resource_id: string;
  drift_status: string;
  first_detected: string | null;
}

const record = (id: string): Promise<Rec> =>
  getJson<Rec>(`${API}/api/v1/drift-records/${encodeURIComponent(id)}`);

async function leaseHolder(): Promise<string> {
  const r = await cluster.kubectl([
    '-n',
    AGENT_NS,
    'get',
    'lease',
    'driftguard-agent',
    '-o',
    'jsonpath={.spec.holderIdentity}',
  ]);
  return r.code === 0 ? r.stdout.trim() : '';
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${HEALTH}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('the agent image on a real node (kubelet, containerd, runc)', { skip }, () => {
  let readySeconds = 0;

  before(async () => {
    const built = builtImage();
    if (typeof built === 'string') throw new Error(built);
    image = built;
    cluster = await startCluster({ realNode: true });
    const node = cluster.realNode!;
    console.log(
      `# cluster + real node started in ${cluster.startSeconds.toFixed(1)} s (node Ready ${node.readySeconds.toFixed(1)} s after containerd)`,
    );
    const t = Date.now();
    await node.importImage(image.archive);
    console.log(`# image ${image.ref} imported in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    dbDir = mkdtempSync(join(tmpdir(), 'driftguard-real-node-db-'));
    db = await startFerretDB({ dir: dbDir });
    repo = makeRepo(exampleManifests({}));
    const bare = repo.bare();
    git = await startGitHttpServer(dirname(bare.dir), 'driftguard', GIT_TOKEN);
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'examples', 'namespace.yaml')]);
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'examples')]);

    // A fresh cluster, in the README's order: the namespace, then the Secrets, then the rest.
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'manifests', 'base', 'namespace.yaml')]);
    await cluster.kubectlOk([
      '-n',
      AGENT_NS,
      'create',
      'secret',
      'generic',
      'driftguard-db',
      `--from-literal=uri=${db.uri}`,
    ]);
    await cluster.kubectlOk([
      '-n',
      AGENT_NS,
      'create',
      'secret',
      'generic',
      'driftguard-git',
      `--from-literal=token=${GIT_TOKEN}`,
    ]);
    const overlay = writeTestOverlay({
      dir: join(cluster.dir, 'overlay'),
      image: image.ref,
      apiServerPort: cluster.port,
      nodeName: node.name,
      env: {
        DRIFTGUARD_GIT_URL: `${git.url}/${bare.dir.split('/').pop() ?? ''}`,
        DRIFTGUARD_GIT_PATH: '',
        DRIFTGUARD_KUBERNETES_CLUSTER: 'real-node',
      },
    });
    const applied = Date.now();
    await cluster.kubectlOk(['apply', '-k', overlay]);
    [pod] = (await waitPods(cluster, 'the agent pod Ready', (p) => p.length === 1 && p[0]!.ready)) as [
      PodInfo,
    ];
    readySeconds = (Date.now() - applied) / 1000;
    console.log(`# agent pod ${pod.name} Ready ${readySeconds.toFixed(1)} s after kubectl apply -k`);
  });

  after(async () => {
    await cluster?.stop();
    await git?.stop();
    await db?.stop();
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
    repo?.remove();
  });

  it('runs the built image on the real node and becomes Ready', async () => {
    assert.equal(pod.nodeName, cluster.realNode!.name);
    console.log(`# the container runs image ${pod.imageId}`);
    assert.ok(pod.imageId.endsWith(image.id), `the built image (${image.id}), not another: ${pod.imageId}`);
    const images = await cluster.realNode!.containerd.ctr(['images', 'ls', '-q']);
    assert.ok(images.split('\n').includes(image.ref), `${image.ref} in containerd: ${images}`);
    const ready = await getJson<{ status: string }>(`${HEALTH}/ready`);
    assert.equal(ready.status, 'ready');
  });

  it('runs as uid 10001 with no capabilities, no new privileges, seccomp and a read-only root', async () => {
    const { code, out } = await podExec(cluster, pod.name, ['cat', '/proc/1/status']);
    assert.equal(code, 0, out);
    const field = (k: string): string => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';
    assert.match(field('Uid'), /^10001\s+10001\s+10001\s+10001$/);
    assert.match(field('Gid'), /^10001\s+10001\s+10001\s+10001$/);
    for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'])
      assert.equal(field(cap), '0000000000000000', cap);
    assert.equal(field('NoNewPrivs'), '1');
    assert.equal(field('Seccomp'), '2', 'seccomp filter mode (RuntimeDefault)');
    const write = await podExec(cluster, pod.name, ['sh', '-c', 'touch /app/x']);
    assert.notEqual(write.code, 0);
    assert.match(write.out, /Read-only file system/);
    for (const dir of ['/tmp', '/var/lib/driftguard']) {
      const w = await podExec(cluster, pod.name, ['sh', '-c', `touch ${dir}/x && rm ${dir}/x`]);
      assert.equal(w.code, 0, `${dir} (an emptyDir) is writable: ${w.out}`);
    }
  });

  it("the shipped memory limit is the container's cgroup limit, and the agent reads it", async () => {
    const deployment = JSON.parse(
      await cluster.kubectlOk(['-n', AGENT_NS, 'get', 'deployment', 'driftguard-agent', '-o', 'json']),
    ) as { spec: { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } } };
    const shipped = deployment.spec.template.spec.containers[0]!.resources.limits.memory;
    assert.equal(shipped, '512Mi', 'as manifests/base/agent.yaml ships it');
    // cgroup v2 names it memory.max; v1 memory.limit_in_bytes (the container's own cgroup is the
    // root of its cgroup namespace on v2, and mounted at /sys/fs/cgroup/memory on v1).
    const { code, out } = await podExec(cluster, pod.name, [
      'sh',
      '-c',
      'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
    ]);
    assert.equal(code, 0, out);
    assert.equal(Number(out.trim()), 512 * 2 ** 20, `the kernel enforces 512 MiB: ${out}`);
    const ready = await getJson<{ components: { name: string; message: string }[] }>(`${HEALTH}/ready`);
    const memory = ready.components.find((c) => c.name === 'memory');
    assert.match(memory?.message ?? '', /^RSS \d+ MB, heap \d+ MB of a 512 MB limit$/);
  });

  it('reads the compile cache from the image and never writes it', async () => {
    const list = async (): Promise<string> =>
      (
        await podExec(cluster, pod.name, [
          'sh',
          '-c',
          'cd /app/compile-cache && find . -type f -exec ls -l --time-style=+%s {} +',
        ])
      ).out;
    const before = await list();
    assert.match(before, /\S/, 'the image ships a compile cache');
    // Node says, for the same bundle, user and environment as the agent, what it did with the cache.
    const run = await podExec(cluster, pod.name, [
      'env',
      'NODE_DEBUG_NATIVE=COMPILE_CACHE',
      'node',
      'dist/driftguard-agent.mjs',
      '--version',
    ]);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /reading cache from \/app\/compile-cache\/.*driftguard-agent\.mjs.*success/);
    assert.match(run.out, /code cache for ESM .*driftguard-agent\.mjs was accepted/);
    assert.doesNotMatch(run.out, /writing cache for .*driftguard-agent\.mjs.*success/i);
    assert.equal(await list(), before, 'the cache files are unchanged');
  });

  it('answers the API on loopback only; the health port and the shipped NetworkPolicy are as documented', async () => {
    const nodeIp = cluster.realNode!.host.nodeIp;
    assert.equal((await fetch(`${HEALTH}/health`)).status, 200);
    assert.equal(
      (await fetch(`http://${nodeIp}:8081/health`)).status,
      200,
      'probes reach 8081 on the node address',
    );
    await assert.rejects(
      fetch(`http://${nodeIp}:8080/health`),
      'the API port is not open on the node address',
    );
    const policy = JSON.parse(
      await cluster.kubectlOk(['-n', AGENT_NS, 'get', 'networkpolicy', 'driftguard-agent', '-o', 'json']),
    ) as {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        ingress: { ports: { port: number }[] }[];
      };
    };
    const selected = await cluster.kubectlOk([
      '-n',
      AGENT_NS,
      'get',
      'pods',
      '-l',
      Object.entries(policy.spec.podSelector.matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      '-o',
      'name',
    ]);
    assert.equal(selected.trim(), `pod/${pod.name}`, 'the policy selects the agent pod');
    assert.deepEqual(
      policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port)),
      [8081],
    );
  });

  it('kubectl driftguard status finds the pod and port-forwards through the real kubelet', async () => {
    const r = await runPlugin(['status', '--kubeconfig', cluster.kubeconfig], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+ resources tracked/);
  });

  it('a deleted pod releases the Lease on SIGTERM; its replacement continues the episode', async () => {
    await cluster.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    const active = await until(
      'the scaling drift active',
      async () => {
        const r = await record(WEB).catch(() => undefined);
        return r?.drift_status === 'active' ? r : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const holder = await until('the pod holds the Lease', async () => (await leaseHolder()) || undefined, {
      timeoutMs: 60_000,
    });
    assert.ok(holder);
    const old = pod.name;
    // --wait=false: the Lease is read while the pod is still terminating.
    await cluster.kubectlOk(['-n', AGENT_NS, 'delete', 'pod', old, '--wait=false']);
    const deletedAt = Date.now() / 1000;
    await until('the Lease released', async () => ((await leaseHolder()) === '' ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const logs = await cluster.kubectl(['-n', AGENT_NS, 'logs', old]);
    if (logs.code === 0) assert.match(logs.stdout, /leader|lease|shutdown|stopp/i);
    const t = Date.now();
    [pod] = (await waitPods(
      cluster,
      'the replacement pod Ready',
      (p) => p.length === 1 && p[0]!.name !== old && p[0]!.ready,
    )) as [PodInfo];
    console.log(`# replacement pod Ready ${((Date.now() - t) / 1000).toFixed(1)} s after the deletion`);
    await until(
      'the replacement leads and has analysed',
      async () =>
        (await metric('driftguard_last_analysis_success_timestamp_seconds')) > deletedAt ? true : undefined,
      { timeoutMs: 120_000 },
    );
    const again = await record(WEB);
    assert.equal(again.drift_status, 'active');
    assert.equal(again.first_detected, active.first_detected, 'the same episode, not a new one');
  });

  it('readiness follows the store; liveness restarts a hung process', async () => {
    await db.kill();
    await waitPods(
      cluster,
      'the pod NotReady without its store',
      (p) => p.length === 1 && !p[0]!.ready,
      120_000,
    );
    db = await startFerretDB({ dir: dbDir, port: db.port });
    await waitPods(cluster, 'the pod Ready again', (p) => p.length === 1 && p[0]!.ready, 120_000);
    // A stopped process answers nothing: the liveness probe fails and the kubelet restarts it.
    const pid = (await cluster.realNode!.containerd.ctr(['tasks', 'ls'])).split('\n');
    const agentTask = agentTaskPid(pid);
    process.kill(agentTask, 'SIGSTOP');
    const restarted = await waitPods(
      cluster,
      'the container restarted by its liveness probe',
      (p) => p.length === 1 && p[0]!.restarts > pod.restarts && p[0]!.ready,
      180_000,
    );
    assert.equal(restarted[0]!.name, pod.name, 'the same pod, its container restarted');
    pod = restarted[0]!;
  });

  for (const size of SIZES) {
    it(`memory inside the pod with ${size.toLocaleString('en')} more objects stays under the limit`, async () => {
      const ns = `load-${size}`;
      await cluster.kubectlOk(['create', 'namespace', ns]);
      const items = Array.from({ length: size }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: ns, labels: { app: 'load' } },
        data: { key: `value-${i}`, more: 'x'.repeat(200) },
      }));
      for (let i = 0; i < items.length; i += 500) {
        await cluster.kubectlOk(['apply', '--server-side', '-f', '-'], {
          input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 500) }),
        });
      }
      await until(
        `the agent watches the ${size} ConfigMaps`,
        async () =>
          (await metric('driftguard_resources_watched', 'kind="ConfigMap"')) >= size ? true : undefined,
        { timeoutMs: 180_000, intervalMs: 1000 },
      );
      const watched = Date.now() / 1000;
      await until(
        'an analysis over them',
        async () =>
          (await metric('driftguard_last_analysis_success_timestamp_seconds')) > watched ? true : undefined,
        { timeoutMs: 180_000, intervalMs: 1000 },
      );
      const mem = await podMemory(cluster, pod.name);
      console.log(
        `# pod memory at ${size} ConfigMaps (+ examples): RSS ${mem.rss.toFixed(0)} MiB, peak ${mem.peak.toFixed(0)} MiB (limit 512 MiB)`,
      );
      assert.ok(mem.peak < 512, `peak ${mem.peak} MiB`);
      const after = (await agentPods(cluster))[0]!;
      assert.equal(after.restarts, pod.restarts, 'no OOM kill');
    });
  }
});

/** The host PID of the agent's node process (not the pause process) among containerd's tasks. */
function agentTaskPid(lines: string[]): number {
  for (const l of lines.slice(1)) {
    const pid = Number(l.split(/\s+/)[1]);
    if (!pid) continue;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.includes('driftguard-agent.mjs')) return pid;
  }
  throw new Error(`no agent task among ${lines.join('\n')}`);
}
