// The one kubeconfig loader for the agent and the plugin: --kubeconfig / a config path, else
// KUBECONFIG or ~/.kube/config, or the in-cluster service account; then the context. It fixes two
// client-node traps: an unknown context is accepted silently, and an http:// server is refused
// unless skipTLSVerify is set. Errors are KubeConfigError with one readable line.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a pod's service-account files are mounted; DRIFTGUARD_SERVICE_ACCOUNT_DIR points elsewhere. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigSource {
  /** A kubeconfig file; else KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /**
   * The pod's service account: token, ca.crt and namespace under
   * /var/run/secrets/kubernetes.io/serviceaccount (or DRIFTGUARD_SERVICE_ACCOUNT_DIR), the API server
   * from KUBERNETES_SERVICE_HOST/PORT.
   */
  inCluster?: boolean | undefined;
}

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

/**
 * client-node's loadFromCluster, with the service-account directory configurable, so that the agent
 * can run outside a pod with exactly a pod's identity (the tests run it so).
 */
function loadInCluster(kc: KubeConfig, dir: string): void {
  const host = process.env['KUBERNETES_SERVICE_HOST'];
  const port = process.env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) throw new KubeConfigError('in cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const token = join(dir, 'token');
  if (!existsSync(token)) throw new KubeConfigError(`in cluster: no service-account token at ${token}`);
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  kc.loadFromClusterAndUser(
    { name: 'inCluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false },
    { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: token } } },
  );
  const nsFile = join(dir, 'namespace');
  if (existsSync(nsFile)) {
    const namespace = readFileSync(nsFile, 'utf8').trim();
    kc.contexts = kc.contexts.map((c) => ({ ...c, namespace }));
  }
}

/**
 * Without any kubeconfig, client-node quietly talks to http://localhost:8080, so a missing file
 * would read as "cannot reach localhost:8080". Say what is missing instead. (In a pod, the service
 * account is used, as client-node does.)
 */
function requireSomeKubeconfig(): void {
  const env = process.env['KUBECONFIG'];
  if (env) {
    const files = env.split(delimiter).filter((f) => f !== '');
    if (files.length > 0 && !files.some((f) => existsSync(f)))
      throw new KubeConfigError(`no kubeconfig: KUBECONFIG names ${files.join(', ')}, which does not exist`);
    return;
  }
  const home = join(homedir(), '.kube', 'config');
  if (!existsSync(home) && !process.env['KUBERNETES_SERVICE_HOST'])
    throw new KubeConfigError(
      `no kubeconfig: ${home} does not exist and KUBECONFIG is not set (pass --kubeconfig FILE, or --agent-url for the agent alone)`,
    );
}

function load(src: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (src.inCluster)
      loadInCluster(kc, process.env['DRIFTGUARD_SERVICE_ACCOUNT_DIR'] || SERVICE_ACCOUNT_DIR);
    else if (src.kubeconfig) {
      if (!existsSync(src.kubeconfig))
        throw new KubeConfigError(`kubeconfig ${src.kubeconfig} does not exist`);
      kc.loadFromFile(src.kubeconfig);
    } else {
      requireSomeKubeconfig();
      kc.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    const first = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    throw new KubeConfigError(`cannot load kubeconfig: ${first}`);
  }
  return kc;
}

export function loadKubeConfig(src: KubeConfigSource): KubeConfig {
  const kc = load(src);
  if (src.context) {
    if (!kc.getContexts().some((c) => c.name === src.context)) {
      const known =
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none';
      throw new KubeConfigError(`context "${src.context}" not found in kubeconfig (contexts: ${known})`);
    }
    kc.setCurrentContext(src.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new KubeConfigError('no cluster in kubeconfig: pass a kubeconfig or a context, or set KUBECONFIG');
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
