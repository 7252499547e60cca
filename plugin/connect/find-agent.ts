// Finds the agent pod to port-forward to: the first Ready, Running pod matching the selector in
// the agent's namespace. Each way this can fail gets one line that says what to do about it.
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import { KubeApiError, kubeGet } from '../../shared/node/kube/rest.ts';

export interface AgentLocation {
  namespace: string;
  selector: string;
}

interface PodLike {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
}

export function rbacHint(ns: string): string {
  return `RBAC: needs get/list pods and create pods/portforward in namespace ${ns}, or pass --agent-url`;
}

export function isReady(pod: PodLike): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podState(pod: PodLike): string {
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  const phase = pod.status?.phase ?? 'Unknown';
  return phase === 'Running' ? 'Running, not Ready' : phase;
}

export async function findAgentPod(kc: KubeConfig, loc: AgentLocation): Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(loc.namespace)}/pods?labelSelector=${encodeURIComponent(loc.selector)}`;
  let items: PodLike[];
  try {
    const res = await kubeGet(kc, path);
    items = ((res.body ?? {}) as { items?: PodLike[] }).items ?? [];
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 403) {
      throw new CliError(
        `forbidden: cannot list pods in namespace ${loc.namespace} (${rbacHint(loc.namespace)})`,
      );
    }
    if (err instanceof KubeApiError && err.status === 401) {
      throw new CliError('unauthorized: the Kubernetes API server rejected the kubeconfig credentials');
    }
    if (err instanceof KubeApiError && err.status === 400) {
      throw new CliError(`--agent-selector ${loc.selector}: ${err.message}`);
    }
    throw err;
  }
  if (items.length === 0) {
    throw new CliError(
      `no DriftGuard agent pod in namespace ${loc.namespace} (selector ${loc.selector}): install it with kubectl apply -k manifests/ or pass --agent-url`,
    );
  }
  const ready = items.find(isReady);
  if (!ready?.metadata?.name) {
    const states = items.map((p) => `${p.metadata?.name ?? '?'}: ${podState(p)}`).join(', ');
    throw new CliError(
      `DriftGuard agent pod in namespace ${loc.namespace} is not ready (${states}): check kubectl -n ${loc.namespace} describe pod, or pass --agent-url`,
    );
  }
  return ready.metadata.name;
}
