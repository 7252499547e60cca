// Picks the transport to the agent: --agent-url, then DRIFTGUARD_AGENT_URL, then a port-forward
// to the agent pod found through the kubeconfig.
import { DriftGuardClient } from '../../shared/api/client.ts';
import { CliError } from '../errors.ts';
import type { GlobalFlags } from '../flags.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { findAgentPod } from './find-agent.ts';
import { openPortForward } from './port-forward.ts';
import { directTransport, type AgentTransport } from './transport.ts';
import { errorMessage } from '../../shared/errors.ts';

export interface ConnectOptions {
  /** Port-forward opening deadline (ms). */
  timeoutMs?: number;
  /** Deadline of each API request (ms); the client's default when absent. */
  requestTimeoutMs?: number;
}

export function agentUrl(flags: GlobalFlags, env: NodeJS.ProcessEnv): string | undefined {
  return flags.agentUrl || env['DRIFTGUARD_AGENT_URL'] || undefined;
}

export async function connectAgent(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
  opts: ConnectOptions = {},
): Promise<AgentTransport> {
  const url = agentUrl(flags, env);
  if (url) {
    try {
      return directTransport(url);
    } catch (err) {
      throw new CliError(errorMessage(err));
    }
  }
  const kc = loadKubeConfig(flags);
  const pod = await findAgentPod(kc, { namespace: flags.agentNamespace, selector: flags.agentSelector });
  return openPortForward(kc, {
    namespace: flags.agentNamespace,
    pod,
    port: flags.agentPort,
    timeoutMs: opts.timeoutMs,
  });
}

/** Connects, hands `fn` a client of the agent, and always closes the transport afterwards. */
export async function withClient<T>(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
  opts: ConnectOptions,
  fn: (client: DriftGuardClient) => Promise<T>,
): Promise<T> {
  const transport = await connectAgent(flags, env, opts);
  try {
    return await fn(new DriftGuardClient(transport.baseUrl, { timeoutMs: opts.requestTimeoutMs }));
  } finally {
    await transport.close();
  }
}
