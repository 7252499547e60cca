// The agent as users run it: the image `npm run build:image` made, imported into the real node's
// containerd (startCluster({ realNode: true })), installed with `kubectl apply -k` of the shipped
// manifests/ through the small test overlay (test/image/overlay.ts: image, imagePullPolicy Never,
// and what a one-node loopback cluster needs), in the README's order (namespace, Secrets, the rest).
// Its store is a FerretDB (the shipped Deployment needs Secret driftguard-db), its Git a smart-HTTP
// server with the token in the shipped Secret driftguard-git. The test reaches it exactly as the
// plugin does: the plugin's own pod lookup and port-forward (plugin/connect), through the real
// kubelet. One install per cluster; share the cluster across a test file (a node start costs time).
import { dirname, join } from 'node:path';
import { loadKubeConfig } from '../../plugin/kube/config.ts';
import { findAgentPod } from '../../plugin/connect/find-agent.ts';
import { openPortForward } from '../../plugin/connect/port-forward.ts';
import type { AgentTransport } from '../../plugin/connect/transport.ts';
import { binaries } from '../cluster/binaries.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { tcpOpen } from '../cluster/ports.ts';
import { startGitHttpServer, type GitHttpServer } from '../git/http-backend.ts';
import { writeTestOverlay } from '../image/overlay.ts';
import {
  AGENT_LABELS,
  AGENT_NS,
  builtImage,
  realNodeSkipReason,
  waitPods,
  type PodInfo,
} from '../image/pod.ts';
import { ROOT } from './plugin.ts';
import { until } from './poll.ts';
import type { TestRepo } from './repos.ts';

/** The shipped config's ports (manifests/base/config.yaml): API on 127.0.0.1, health on all. */
export const POD_API_PORT = 8080;
export const POD_HEALTH_PORT = 8081;
const GIT_USER = 'driftguard';
const GIT_TOKEN = 'agent-pod-token';

/** Why the agent cannot run as a pod here (no real node, no image, no FerretDB), or undefined. */
export function agentPodSkipReason(): string | undefined {
  const reason = realNodeSkipReason();
  if (reason) return reason;
  try {
    void binaries().ferretdb;
  } catch (err) {
    return `the agent pod's store: ${(err as Error).message}`;
  }
  return undefined;
}

export interface AgentPodOptions {
  /** The repository the agent reads (served over HTTP from its bare clone). */
  repo: TestRepo;
  /** git.path inside the repository ('' = the root). */
  path?: string;
  /** More configuration as the manifests take it: DRIFTGUARD_<SECTION>_<KEY> variables. */
  env?: Record<string, string>;
  /** The shipped kustomization to install: manifests/ (the default) or one of its overlays. */
  base?: string;
}

export interface AgentPod {
  /** The agent pod now Ready. */
  pod: PodInfo;
  /** The agent's API and health/metrics ports through the plugin's port-forward. */
  apiUrl: string;
  healthUrl: string;
  /** Seconds from `kubectl apply -k` to the pod Ready. */
  readySeconds: number;
  /** `kubectl logs` of the agent container. */
  logs(): Promise<string>;
  /** Re-finds the Ready pod (after a replacement) and forwards to it again. */
  reconnect(): Promise<void>;
  /** Closes the forwards and stops the Git server and FerretDB (the cluster's stop removes the pod). */
  stop(): Promise<void>;
  /** Deletes the agent's Deployment, waits until no agent pod is left (its host ports free), then stop(). */
  uninstall(): Promise<void>;
}

const imported = new WeakSet<Cluster>();

/**
 * The test overlay runs the pod on the host's network (overlay.ts says why), so its ports are this
 * machine's: another real-node agent (a test running beside this one) would make it crash-loop.
 */
async function checkHostPorts(): Promise<void> {
  for (const port of [POD_API_PORT, POD_HEALTH_PORT]) {
    if (await tcpOpen(port))
      throw new Error(
        `127.0.0.1:${port} is taken: the agent pod uses the host's network (test/image/overlay.ts), so only one real-node agent can run on this machine at a time`,
      );
  }
}

async function forward(cluster: Cluster, port: number): Promise<AgentTransport> {
  const kc = loadKubeConfig({ kubeconfig: cluster.kubeconfig });
  const pod = await findAgentPod(kc, { namespace: AGENT_NS, selector: AGENT_LABELS });
  return openPortForward(kc, { namespace: AGENT_NS, pod, port, timeoutMs: 30_000 });
}

async function createSecret(cluster: Cluster, name: string, key: string, value: string): Promise<void> {
  const yaml = await cluster.kubectlOk([
    '-n',
    AGENT_NS,
    'create',
    'secret',
    'generic',
    name,
    `--from-literal=${key}=${value}`,
    '--dry-run=client',
    '-o',
    'yaml',
  ]);
  await cluster.kubectlOk(['apply', '-f', '-'], { input: yaml });
}

/** Installs the agent pod on `cluster`'s real node and forwards to it; see the header. */
export async function installAgentPod(cluster: Cluster, opts: AgentPodOptions): Promise<AgentPod> {
  const node = cluster.realNode;
  if (!node) throw new Error('installAgentPod: start the cluster with { realNode: true }');
  const image = builtImage();
  if (typeof image === 'string') throw new Error(image);
  await checkHostPorts();
  if (!imported.has(cluster)) {
    await node.importImage(image.archive);
    imported.add(cluster);
  }
  const db: FerretDB = await startFerretDB();
  const bare = opts.repo.bare();
  let git: GitHttpServer | undefined;
  const transports: AgentTransport[] = [];
  const closeForwards = async (): Promise<void> => {
    for (const t of transports.splice(0)) await t.close();
  };
  const stop = async (): Promise<void> => {
    await closeForwards();
    await git?.stop();
    await db.stop();
  };
  try {
    git = await startGitHttpServer(dirname(bare.dir), GIT_USER, GIT_TOKEN);
    // The README's order on a fresh cluster: the namespace, then the Secrets, then the rest.
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'manifests', 'base', 'namespace.yaml')]);
    await createSecret(cluster, 'driftguard-db', 'uri', db.uri);
    await createSecret(cluster, 'driftguard-git', 'token', GIT_TOKEN);
    const overlay = writeTestOverlay({
      dir: join(cluster.dir, 'agent-overlay'),
      image: image.ref,
      apiServerPort: cluster.port,
      nodeName: node.name,
      ...(opts.base ? { base: opts.base } : {}),
      env: {
        DRIFTGUARD_GIT_URL: `${git.url}/${bare.dir.split('/').pop() ?? ''}`,
        DRIFTGUARD_GIT_BRANCH: opts.repo.branch,
        DRIFTGUARD_GIT_PATH: opts.path ?? '',
        DRIFTGUARD_KUBERNETES_CLUSTER: 'real-node',
        ...opts.env,
      },
    });
    const applied = Date.now();
    await cluster.kubectlOk(['apply', '-k', overlay]);
    // On the real node: a Deployment applied before (say with the shipped image) may still have a pod on kwok.
    const onNode = (p: PodInfo[]): boolean => p.length === 1 && p[0]!.ready && p[0]!.nodeName === node.name;
    const [pod] = await waitPods(cluster, 'the agent pod Ready on the real node', onNode);
    const readySeconds = (Date.now() - applied) / 1000;
    const self: AgentPod = {
      pod: pod!,
      apiUrl: '',
      healthUrl: '',
      readySeconds,
      logs: async () =>
        (await cluster.kubectl(['-n', AGENT_NS, 'logs', '-l', AGENT_LABELS, '-c', 'agent', '--tail=-1']))
          .stdout,
      reconnect: async () => {
        await closeForwards();
        const [ready] = await waitPods(cluster, 'a Ready agent pod on the real node', onNode);
        self.pod = ready!;
        const api = await forward(cluster, POD_API_PORT);
        transports.push(api);
        const health = await forward(cluster, POD_HEALTH_PORT);
        transports.push(health);
        self.apiUrl = api.baseUrl;
        self.healthUrl = health.baseUrl;
      },
      stop,
      uninstall: async () => {
        await cluster.kubectlOk(['-n', AGENT_NS, 'delete', 'deployment', 'driftguard-agent', '--wait=true']);
        await until(
          'no agent pod left',
          async () =>
            (
              await cluster.kubectlOk(['-n', AGENT_NS, 'get', 'pods', '-l', AGENT_LABELS, '-o', 'name'])
            ).trim()
              ? undefined
              : true,
          { timeoutMs: 90_000 },
        );
        await stop();
      },
    };
    await self.reconnect();
    await until(
      'the agent answers through the port-forward',
      async () => ((await fetch(`${self.apiUrl}/api/v1/version`).catch(() => null))?.ok ? true : undefined),
      { timeoutMs: 30_000 },
    );
    return self;
  } catch (err) {
    await stop();
    throw err;
  }
}
