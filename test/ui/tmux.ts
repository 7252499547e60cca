// A real terminal for one test: a detached tmux session of a fixed size on its own server socket
// (never the user's tmux), driven with send-keys and read with capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

export function startTmux(command: string[], opts: { columns: number; rows: number; env: Record<string, string>; cwd: string }): TmuxSession {
  const socket = `driftguard-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env } });
  // Our own config instead of the user's: keep the pane after the program exits, to read its status.
  const conf = join(mkdtempSync(join(tmpdir(), 'driftguard-tmux-')), 'tmux.conf');
  writeFileSync(conf, 'set-option -g remain-on-exit on\n');
  execFileSync('tmux', ['-L', socket, '-f', conf, 'new-session', '-d', '-s', 'ui', '-x', String(opts.columns), '-y', String(opts.rows), '-c', opts.cwd, ...command], {
    env: { ...process.env, ...opts.env },
  });
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'ui');
  const exitStatus = (): number | null => {
    const [dead, status, signal] = tmux('display-message', '-p', '-t', 'ui', '#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}').trim().split('|');
    if (dead !== '1') return null;
    // Killed by a signal: report it the way a shell does (128 + signal number).
    return status ? Number(status) : 128 + Number(signal);
  };
  return {
    keys: (...keys) => void tmux('send-keys', '-t', 'ui', ...keys),
    type: (text) => void tmux('send-keys', '-t', 'ui', '-l', text),
    screen,
    exitStatus,
    async waitFor(pred, ms = 15_000) {
      const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : pred instanceof RegExp ? (s: string) => pred.test(s) : pred;
      const deadline = Date.now() + ms;
      let last = '';
      while (Date.now() < deadline) {
        last = screen();
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`terminal never showed ${String(pred)} (exit status ${String(exitStatus())}); screen:\n${last}`);
    },
    stop: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      rmSync(dirname(conf), { recursive: true, force: true });
    },
  };
}
