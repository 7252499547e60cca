// The agent installed the way a user installs it, on the full cluster: manifests/ applied with
// kubectl (the Deployment is scheduled onto the kwok node and becomes Ready), a token for the
// agent's ServiceAccount from the TokenRequest API, and the real agent process run on this machine
// with exactly that identity (service-account files + KUBERNETES_SERVICE_HOST/PORT, as in a pod).
// A ClusterPortForward sends the pod's API port to that process, so `kubectl driftguard` reaches
// it the way it reaches a real agent: pod discovery and a port-forward through kube-apiserver.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podNames, type Cluster } from '../cluster/cluster.ts';
import { ROOT } from './plugin.ts';
import { startAgent, type AgentProcess } from './agent-process.ts';

export const AGENT_NAMESPACE = 'driftguard';
export const AGENT_SERVICE_ACCOUNT = 'driftguard-agent';
export const AGENT_SELECTOR = 'app.kubernetes.io/name=driftguard,app.kubernetes.io/component=agent';
/** The container port of the agent's API in manifests/ (what the plugin forwards to). */
export const AGENT_API_PORT = 8080;

export interface InstalledAgent {
  agent: AgentProcess;
  /** The agent pod the port-forward reaches. */
  pod: string;
  /** Stops the local agent process and removes the service-account files. */
  stop(): Promise<void>;
}

/** `kubectl apply` of manifests/ exactly as the README tells a user (kustomize when it is one). */
export async function applyManifests(cluster: Cluster): Promise<void> {
  const dir = join(ROOT, 'manifests');
  if (existsSync(join(dir, 'kustomization.yaml'))) {
    await cluster.kubectlOk(['apply', '-k', dir]);
  } else {
    await cluster.kubectlOk(['apply', '-f', join(dir, '00-namespace.yaml')]);
    await cluster.kubectlOk(['apply', '-f', dir]);
  }
  await cluster.kubectlOk([
    '-n',
    AGENT_NAMESPACE,
    'rollout',
    'status',
    'deployment/driftguard-agent',
    '--timeout=120s',
  ]);
}

/** A service-account directory (token, ca.crt, namespace) as the kubelet mounts it in the pod. */
export async function serviceAccountDir(cluster: Cluster): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-sa-'));
  const token = await cluster.kubectlOk([
    '-n',
    AGENT_NAMESPACE,
    'create',
    'token',
    AGENT_SERVICE_ACCOUNT,
    '--duration=2h',
  ]);
  writeFileSync(join(dir, 'token'), token.trim());
  copyFileSync(cluster.caFile, join(dir, 'ca.crt'));
  writeFileSync(join(dir, 'namespace'), AGENT_NAMESPACE);
  return dir;
}

/**
 * Installs manifests/ (once per cluster is enough; applying again is harmless), starts the agent
 * with the ServiceAccount's identity and the given config sections, and forwards the pod's API
 * port to it. The agent is listening when this returns; wait for readiness as needed.
 */
export async function installAgent(
  cluster: Cluster,
  opts: { config: Record<string, Record<string, unknown>>; env?: Record<string, string> },
): Promise<InstalledAgent> {
  await applyManifests(cluster);
  const saDir = await serviceAccountDir(cluster);
  const agent = await startAgent({
    config: {
      ...opts.config,
      kubernetes: { in_cluster: true, ...opts.config['kubernetes'] },
    },
    env: {
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(cluster.port),
      DRIFTGUARD_SERVICE_ACCOUNT_DIR: saDir,
      ...opts.env,
    },
  });
  // The rollout is complete, so the selector matches the agent pod.
  const [pod] = await podNames(cluster, AGENT_NAMESPACE, { selector: AGENT_SELECTOR });
  if (!pod) throw new Error('installAgent: no agent pod after the rollout');
  await cluster.forwardPod(
    AGENT_NAMESPACE,
    { selector: AGENT_SELECTOR },
    AGENT_API_PORT,
    Number(new URL(agent.apiUrl).port),
  );
  return {
    agent,
    pod,
    stop: async () => {
      await agent.stop();
      rmSync(saDir, { recursive: true, force: true });
    },
  };
}
