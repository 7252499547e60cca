// Opens the transport to the agent for one command, hands the command a client, and always
// closes the transport (the port-forward's local server) afterwards.
import { ApiError, DriftGuardClient } from '../../shared/api/client.ts';
import { connectAgent } from '../connect/connect.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import type { GlobalFlags } from './options.ts';

function connectTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const v = Number(env['DRIFTGUARD_CONNECT_TIMEOUT_MS']);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** ApiErrors become one-line CLI errors: unreachable says how to connect, others quote the agent. */
export function apiFailure(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err.status === null) return new CliError(`${err.message} (is the agent running? pass --agent-url or check the agent pod)`);
  return new CliError(`agent: ${err.message} (HTTP ${err.status})`);
}

export async function withAgent<T>(flags: GlobalFlags, io: Io, fn: (client: DriftGuardClient) => Promise<T>): Promise<T> {
  const transport = await connectAgent(flags, io.env, { timeoutMs: connectTimeout(io.env) });
  try {
    return await fn(new DriftGuardClient(transport.baseUrl));
  } catch (err) {
    throw apiFailure(err);
  } finally {
    await transport.close();
  }
}
