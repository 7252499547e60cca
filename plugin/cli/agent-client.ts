// The agent for one command: a client over the transport withClient opens and closes, with API
// failures turned into one-line CLI errors.
import { ApiError, type DriftGuardClient } from '../../shared/api/client.ts';
import { withClient } from '../connect/connect.ts';
import { CliError } from '../errors.ts';
import type { Io } from './io.ts';
import { requestTimeout, type GlobalFlags } from './options.ts';

function connectTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const v = Number(env['DRIFTGUARD_CONNECT_TIMEOUT_MS']);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** --request-timeout, else DRIFTGUARD_REQUEST_TIMEOUT (same syntax), else the client's default. */
export function requestTimeoutMs(flags: GlobalFlags, env: NodeJS.ProcessEnv): number | undefined {
  if (flags.requestTimeout !== undefined) return flags.requestTimeout;
  const v = env['DRIFTGUARD_REQUEST_TIMEOUT'];
  return v ? requestTimeout(v, 'DRIFTGUARD_REQUEST_TIMEOUT') : undefined;
}

/** ApiErrors become one-line CLI errors: unreachable says how to connect, others quote the agent. */
export function apiFailure(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err.status === null)
    return new CliError(`${err.message} (is the agent running? pass --agent-url or check the agent pod)`);
  return new CliError(`agent: ${err.message} (HTTP ${err.status})`);
}

export async function withAgent<T>(
  flags: GlobalFlags,
  io: Io,
  fn: (client: DriftGuardClient) => Promise<T>,
): Promise<T> {
  try {
    return await withClient(
      flags,
      io.env,
      { timeoutMs: connectTimeout(io.env), requestTimeoutMs: requestTimeoutMs(flags, io.env) },
      fn,
    );
  } catch (err) {
    throw apiFailure(err);
  }
}
