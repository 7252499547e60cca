// Kubernetes access for the agent: the shared kubeconfig loader and REST helper (shared/node/kube),
// fed from the agent's config section.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError, loadKubeConfig as load } from '../../shared/node/kube/config.ts';
import type { KubernetesConfig } from '../config/schema.ts';

export function loadKubeConfig(config: KubernetesConfig): KubeConfig {
  try {
    return load({ kubeconfig: config.kubeconfig, context: config.context, inCluster: config.in_cluster });
  } catch (err) {
    // The agent's messages name the config key, as every other config error does.
    if (err instanceof KubeConfigError) throw new Error(`kubernetes: ${err.message}`, { cause: err });
    throw err;
  }
}
