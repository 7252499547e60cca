// A failure the user can act on: one line on stderr and an exit code (2 unless said otherwise),
import { errorMessage } from '../shared/errors.ts';
// never a stack trace (those appear only with DRIFTGUARD_DEBUG=1).

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The first line of an error's message, for errors that did not come from us. */
export function oneLine(err: unknown): string {
  const msg = errorMessage(err);
  return (msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim();
}
