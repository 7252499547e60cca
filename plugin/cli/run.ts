// Runs one command line: every failure becomes one line on stderr and an exit code of 2 or more
// (a stack trace only with DRIFTGUARD_DEBUG=1).
import { CommanderError } from 'commander';
import { KubeApiError } from '../../shared/node/kube/rest.ts';
import { CliError, EXIT_ERROR, oneLine } from '../errors.ts';
import type { Io } from './io.ts';
import { buildProgram } from './program.ts';
function describeError(err: unknown): string {
  if (err instanceof KubeApiError) {
    if (err.status === 0) return err.message; // no answer: the message names the server
    if (err.status === 401)
      return 'unauthorized: the Kubernetes API server rejected the kubeconfig credentials';
    if (err.status === 403) return `forbidden: ${err.message}`;
    return `Kubernetes API: ${err.message}`;
  }
  // Our own errors are written for the user whole (a conflict lists its fields one per line).
  if (err instanceof CliError) return err.message;
  return oneLine(err);
}

export async function run(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its own message already; help and --version are successes.
      return err.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    if (io.env['DRIFTGUARD_DEBUG'] === '1' && err instanceof Error)
      io.stderr.write(`${err.stack ?? err.message}\n`);
    io.stderr.write(`error: ${describeError(err)}\n`);
    return err instanceof CliError ? err.exitCode : EXIT_ERROR;
  }
}
