// Colour only for people: when the stream is a TTY and NO_COLOR is unset (https://no-color.org).
// Pure functions take an explicit `enabled` so renderers stay testable without a terminal.
import type { Severity } from '../../shared/types.ts';

export interface Palette {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Severity | null, s?: string): string;
}

function wrap(open: number, close: number, enabled: boolean): (s: string) => string {
  return enabled ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s;
}

export function palette(enabled: boolean): Palette {
  const red = wrap(31, 39, enabled);
  const green = wrap(32, 39, enabled);
  const yellow = wrap(33, 39, enabled);
  const cyan = wrap(36, 39, enabled);
  const bold = wrap(1, 22, enabled);
  const dim = wrap(2, 22, enabled);
  const severity = (sev: Severity | null, s?: string): string => {
    const text = s ?? sev ?? '-';
    if (sev === 'high') return red(text);
    if (sev === 'medium') return yellow(text);
    if (sev === 'low') return cyan(text);
    return text;
  };
  return { red, green, yellow, cyan, bold, dim, severity };
}

/** Whether to colour a stream: a TTY, NO_COLOR unset (any value, even empty, disables it). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env['NO_COLOR'] === undefined;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printable width of a string that may hold colour codes. */
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}
