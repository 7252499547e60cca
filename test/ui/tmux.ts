// A real terminal for one test: a detached tmux session of a fixed size on its own server socket
// (never the user's tmux), driven with send-keys and read with capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TmuxSession {
  /** Keys as tmux names them (`Enter`, `Escape`, `Down`) or single characters. */
  keys(...keys: string[]): void;
  /** Literal text, typed character by character. */
  type(text: string): void;
  screen(): string;
  waitFor(pred: string | RegExp | ((screen: string) => boolean), ms?: number): Promise<string>;
  /** The program's exit status once it has exited, else null. */
  exitStatus(): number | null;
  stop(): void;
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

export function startTmux(
  command: string[],
  opts: { columns: number; rows: number; env: Record<string, string>; cwd: string },
): TmuxSession {
  const socket = `driftguard-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env } });
  // Our own config instead of the user's; the pane stays after the program exits.
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-tmux-'));
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set-option -g remain-on-exit on\n');
  // tmux does not always record a dead pane's exit status (pane_dead_status stays empty), so a
  // shell around the program writes it to a file.
  const statusFile = join(dir, 'status');
  const wrapped = ['sh', '-c', '"$@"; echo $? > "$DRIFTGUARD_TMUX_STATUS"', 'sh', ...command];
  execFileSync(
    'tmux',
    [
      '-L',
      socket,
      '-f',
      conf,
      'new-session',
      '-d',
      '-s',
      'ui',
      '-x',
      String(opts.columns),
      '-y',
      String(opts.rows),
      '-c',
      opts.cwd,
      ...wrapped,
    ],
    {
      env: { ...process.env, ...opts.env, DRIFTGUARD_TMUX_STATUS: statusFile },
    },
  );
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'ui');
  const exitStatus = (): number | null => {
    if (!existsSync(statusFile)) return null;
    const text = readFileSync(statusFile, 'utf8').trim();
    return text === '' ? null : Number(text);
  };
  return {
    keys: (...keys) => void tmux('send-keys', '-t', 'ui', ...keys),
    type: (text) => void tmux('send-keys', '-t', 'ui', '-l', text),
    screen,
    exitStatus,
    async waitFor(pred, ms = 15_000) {
      const test =
        typeof pred === 'string'
          ? (s: string) => s.includes(pred)
          : pred instanceof RegExp
            ? (s: string) => pred.test(s)
            : pred;
      const deadline = Date.now() + ms;
      let last = '';
      while (Date.now() < deadline) {
        last = screen();
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `terminal never showed ${String(pred)} (exit status ${String(exitStatus())}); screen:\n${last}`,
      );
    },
    stop: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      rmSync(dirname(conf), { recursive: true, force: true });
    },
  };
}

/** `kubectl driftguard ui <args>` in a fresh terminal of the given size, colours off. */
export function startBrowser(args: string[], size: { columns: number; rows: number }): TmuxSession {
  return startTmux([process.execPath, 'bin/kubectl-driftguard.js', 'ui', ...args], {
    ...size,
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: { NO_COLOR: '1' },
  });
}
