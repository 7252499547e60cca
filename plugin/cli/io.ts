// The process streams and environment a command writes to, passed in so commands stay testable
// and so the one place that decides about colour and spinners sees the real TTY state.
import { colorEnabled, palette, type Palette } from '../output/color.ts';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdinIsTTY: boolean;
  /** Where a confirmation is read from (revert without --yes). */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdin: process.stdin,
    env: process.env,
  };
}

export function out(io: Io, text: string): void {
  io.stdout.write(text);
}

export function warn(io: Io, line: string): void {
  io.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

export function stdoutColors(io: Io): Palette {
  return palette(colorEnabled(io.stdout, io.env));
}

/** Asks on stderr and reads one line from stdin: true only for y or yes. No stdin, or EOF, is a no. */
export function confirm(io: Io, question: string): Promise<boolean> {
  const input = io.stdin;
  io.stderr.write(question);
  if (!input) return Promise.resolve(false);
  return new Promise((resolve) => {
    let buf = '';
    const done = (answer: string): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.pause();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    };
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl));
    };
    const onEnd = (): void => done(buf);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
