// Render an Ink tree with ink-testing-library at a chosen terminal size and drive it with keys.
// ink-testing-library's stdout is fixed at 100 columns with no rows; we give it a size and emit
// 'resize', which is also how a real terminal tells Ink (and useWindowSize) about a new size.
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';

export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  up: '\u001b[A',
  down: '\u001b[B',
} as const;

export type Rendered = ReturnType<typeof render> & {
  resize: (columns: number, rows: number) => void;
  /** The latest frame, without colour codes. */
  screen: () => string;
  /** Wait until the screen satisfies `pred` (or contains the text); fail with the last screen after `ms`. */
  waitFor: (pred: string | ((screen: string) => boolean), ms?: number) => Promise<string>;
  press: (...keys: string[]) => Promise<void>;
};

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function renderAt(tree: ReactElement, columns = 80, rows = 24): Rendered {
  const r = render(tree);
  const resize = (c: number, h: number): void => {
    Object.defineProperty(r.stdout, 'columns', { value: c, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: h, configurable: true });
    r.stdout.emit('resize');
  };
  resize(columns, rows);
  const screen = (): string => (r.lastFrame() ?? '').replace(ANSI, '');
  const waitFor = async (pred: string | ((s: string) => boolean), ms = 3000): Promise<string> => {
    const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : pred;
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (test(screen())) return screen();
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`screen never matched ${String(pred)}; last screen:\n${screen()}`);
  };
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      r.stdin.write(k);
      // Let Ink's input parser and React commit the update before the next key.
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  return Object.assign(r, { resize, screen, waitFor, press });
}
