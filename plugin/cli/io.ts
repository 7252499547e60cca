// The process streams and environment a command writes to, passed in so commands stay testable
// and so the one place that decides about colour and spinners sees the real TTY state.
import { colorEnabled, palette, type Palette } from '../output/color.ts';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
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
