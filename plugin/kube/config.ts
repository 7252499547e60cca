// The plugin's kubeconfig: the shared loader (shared/node/kube/config.ts) with its errors as CLI errors.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError, loadKubeConfig as load, contextNamespace } from '../../shared/node/kube/config.ts';
import { CliError } from '../errors.ts';

export { contextNamespace };

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
}

export function loadKubeConfig(flags: KubeFlags): KubeConfig {
  try {
    return load(flags);
  } catch (err) {
    if (err instanceof KubeConfigError) throw new CliError(err.message);
    throw err;
  }
}
