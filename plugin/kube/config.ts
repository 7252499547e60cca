// Loads the kubeconfig the way kubectl does (--kubeconfig, else KUBECONFIG, else ~/.kube/config),
// honours --context, and fixes two client-node traps: an unknown context is accepted silently,
// and an http:// server is refused unless skipTLSVerify is set.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../cli/errors.ts';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
}

function load(flags: KubeFlags): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) {
      if (!existsSync(flags.kubeconfig)) throw new CliError(`kubeconfig ${flags.kubeconfig} does not exist`);
      kc.loadFromFile(flags.kubeconfig);
    } else {
      kc.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `cannot load kubeconfig: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  return kc;
}

export function loadKubeConfig(flags: KubeFlags): KubeConfig {
  const kc = load(flags);
  if (flags.context) {
    if (!kc.getContexts().some((c) => c.name === flags.context)) {
      const known =
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none';
      throw new CliError(`context "${flags.context}" not found in kubeconfig (contexts: ${known})`);
    }
    kc.setCurrentContext(flags.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new CliError('no cluster in kubeconfig: pass --kubeconfig or --context, or set KUBECONFIG');
  if (cluster.server.startsWith('http://') && !cluster.skipTLSVerify) {
    // Plain HTTP has no TLS to verify; client-node refuses it unless this flag is set.
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  }
  return kc;
}

/** The namespace of the current context, like kubectl's default for -n. */
export function contextNamespace(kc: KubeConfig): string {
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return ctx?.namespace || 'default';
}
