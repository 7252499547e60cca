// `npm run demo`: the whole product on this machine (the first run builds its binaries first: about 12 minutes on 2 cores; test/cluster/build.sh demo says so). It starts a small real
// cluster (etcd, kube-apiserver, controller manager, scheduler, a kwok node and, where this machine
// can run one, a real node: kubelet, containerd, runc), makes a Git repository from examples/,
// applies it, installs the agent from manifests/ — its real image on the real node (`kubectl apply
// -k` through the test overlay, test/kit/agent-pod.ts), or, where there is no real node or no
// image built, the agent process with its pod's ServiceAccount identity (the reason is printed) —
// makes real drifts with kubectl, shows them through the plugin as a user runs it — no
// --agent-url, the pod found and port-forwarded to (the drift browser in a terminal; `status` and
// `describe` otherwise) — then reverts one drift and shows it resolved. Ctrl-C stops everything it
// started and removes its temp files.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installAgent } from '../kit/in-cluster.ts';
import { agentPodSkipReason, installAgentPod } from '../kit/agent-pod.ts';
import { binaries } from '../cluster/binaries.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../kit/repos.ts';
import { untilTrue } from '../kit/poll.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PLUGIN = join(ROOT, 'bin', 'kubectl-driftguard.js');
const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.env['CI'];

let plane: Cluster | undefined;
let repo: TestRepo | undefined;
/** The installed agent however it runs: its API URL (a port-forward or the local process) and pod. */
interface DemoAgent {
  url: string;
  pod: string;
  stop(): Promise<void>;
}
let agent: DemoAgent | undefined;

function step(text: string): void {
  process.stdout.write(`\n\u001b[1m▶ ${text}\u001b[0m\n`);
}

async function cleanup(): Promise<void> {
  await agent?.stop().catch(() => undefined);
  await plane?.stop().catch(() => undefined);
  repo?.remove();
}

/** Runs the plugin as a user would, with the terminal attached: it finds the agent pod itself. */
function plugin(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: plane!.kubeconfig };
    delete env['DRIFTGUARD_AGENT_URL'];
    const child = spawn(process.execPath, [PLUGIN, ...args], { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code));
  });
}

/** `shown` replaces the echoed command line, so a Secret value typed here is never printed. */
async function kubectl(args: string[], shown = args.join(' ')): Promise<void> {
  process.stdout.write(`  $ kubectl ${shown}\n`);
  const out = await plane!.kubectlOk(args);
  if (out.trim()) process.stdout.write(`    ${out.trim().split('\n').join('\n    ')}\n`);
}

async function recordStatus(agentUrl: string, id: string): Promise<string | null> {
  // A forward that drops one connection (a busy kubelet) is asked again on the next poll.
  const res = await fetch(`${agentUrl}/api/v1/drift-records/${encodeURIComponent(id)}`).catch(() => null);
  if (!res?.ok) return null;
  return ((await res.json()) as { drift_status: string }).drift_status;
}

/** The agent's real image on the real node when there is one; otherwise the local process (why is said). */
async function installDemoAgent(
  cluster: Cluster,
  gitRepo: TestRepo,
  noPod: string | undefined,
): Promise<DemoAgent> {
  if (!noPod) {
    const pod = await installAgentPod(cluster, {
      repo: gitRepo,
      path: 'manifests',
      env: { DRIFTGUARD_DRIFT_INTERVAL: '30s' },
    });
    console.log(
      `  the agent's image on real node ${pod.pod.nodeName}: pod Ready ${pod.readySeconds.toFixed(0)} s after kubectl apply -k`,
    );
    return { url: pod.apiUrl, pod: pod.pod.name, stop: pod.stop };
  }
  console.log(`  no real node here (${noPod}): the agent runs as a local process with its pod's identity`);
  const installed = await installAgent(cluster, {
    config: {
      git: { url: gitRepo.dir, branch: gitRepo.branch, path: 'manifests' },
      drift: { interval: '30s' },
    },
  });
  await installed.agent.waitReady(60_000);
  return { url: installed.agent.apiUrl, pod: installed.pod, stop: installed.stop };
}

async function main(): Promise<void> {
  const noPod = agentPodSkipReason();
  step(
    `Starting a local cluster: etcd, kube-apiserver, controller manager, scheduler ${binaries().kubernetesVersion}, one kwok node${noPod ? '' : ', one real node (kubelet, containerd, runc)'}`,
  );
  plane = await startCluster({ realNode: !noPod });
  console.log(
    `  API server ${plane.server}; kubeconfig ${plane.kubeconfig} (up in ${plane.startSeconds.toFixed(0)} s)`,
  );

  step('Making a Git repository from examples/ and applying it with kubectl');
  const files = exampleManifests({});
  repo = makeRepo(Object.fromEntries(Object.entries(files).map(([p, c]) => [`manifests/${p}`, c])));
  await kubectl(['apply', '-f', join(repo.dir, 'manifests', 'namespace.yaml')]);
  await kubectl(['apply', '-f', join(repo.dir, 'manifests')]);

  step('Installing DriftGuard: kubectl apply -k of manifests/');
  agent = await installDemoAgent(plane, repo, noPod);
  const url = agent.url;
  console.log(`  agent pod driftguard/${agent.pod}, agent API ${url}`);
  console.log('  the plugin finds the pod and port-forwards to it through the API server (no --agent-url)');
  await plugin(['status']);

  step('Making real drifts with kubectl');
  await kubectl(['scale', 'deployment/web', '-n', 'demo', '--replicas=5']);
  await kubectl(['set', 'image', 'deployment/api', '-n', 'demo', 'api=ghcr.io/stefanprodan/podinfo:6.7.2']);
  await kubectl(
    [
      'patch',
      'secret',
      'db-credentials',
      '-n',
      'demo',
      '-p',
      '{"stringData":{"password":"changed-by-hand"}}',
    ],
    `patch secret db-credentials -n demo -p '{"stringData":{"password":"<new value>"}}'`,
  );
  await untilTrue(
    'the drifts to be recorded',
    async () => (await recordStatus(url, 'Secret:demo:db-credentials')) === 'active',
    { timeoutMs: 60_000, intervalMs: 200 },
  );

  if (interactive) {
    step('Opening the drift browser (Enter: details, a: analyze, ?: keys, q: quit)');
    await new Promise((r) => setTimeout(r, 1500));
    await plugin(['ui']);
  } else {
    step('kubectl driftguard status');
    await plugin(['status']);
    step('kubectl driftguard describe deployment/web -n demo');
    await plugin(['describe', 'deployment/web', '-n', 'demo']);
  }

  step('Reverting one drift: scaling web back to what Git says');
  await kubectl(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
  await untilTrue(
    'web to be resolved',
    async () => (await recordStatus(url, 'Deployment:demo:web')) === 'resolved',
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  await plugin(['get', '--resolved']);
  step('kubectl driftguard status (two drifts still active)');
  await plugin(['status']);
  step('Done. Everything the demo started is being stopped and removed.');
}

// The first stop decides the exit code: a Ctrl-C stops the servers, which makes the step in
// flight fail, and that failure must not turn the interrupted demo's 130 into a 1.
let stopping: Promise<never> | undefined;
function stop(code: number): Promise<never> {
  stopping ??= cleanup().then(() => process.exit(code));
  return stopping;
}
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

main().then(
  () => stop(0),
  (err: unknown) => {
    // After a Ctrl-C the step in flight fails because its servers are gone: not worth a line.
    if (!stopping) console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    return stop(1);
  },
);
