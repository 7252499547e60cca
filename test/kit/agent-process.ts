// Runs the real agent as a child process (`node bin/driftguard-agent.js --config FILE`) for
// process-level tests, also used by the API and plugin tests. Stable interface:
//
//   const agent = await startAgent({ config: { git: { url }, kubernetes: { kubeconfig } }, env });
//   agent.apiUrl / agent.healthUrl             the listeners (ports picked by the agent: port 0)
//   agent.logs()                               stdout lines so far (JSON log lines)
//   await agent.waitForLog((l) => l.event === 'drift_detected', 5000)   the first matching line
//   await agent.waitReady(30000)               until GET /ready answers 200
//   await agent.stop()                         SIGTERM, wait for exit; returns the exit code
//
// The config object is written as YAML; unless given, server/health listen on 127.0.0.1:0,
// logging is json/info and the embedded database lives in the agent's temp dir (`agent.dir`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export type LogLine = Record<string, unknown>;

export interface StartAgentOptions {
  /** Config sections (server, logging, database, kubernetes, git, drift) as plain data. */
  config: Record<string, Record<string, unknown>>;
  /** Extra environment variables (e.g. DRIFTGUARD_* overrides, a Git password). */
  env?: Record<string, string>;
  /** How long to wait for the listeners (default 30 s). */
  startTimeoutMs?: number;
  /** The script node runs (default AGENT_BIN, the tsx launcher; e.g. the bundle agent/package/build.ts makes). */
  bin?: string;
}

export interface AgentProcess {
  apiUrl: string;
  healthUrl: string;
  /** Temp dir holding config.yaml and, by default, the embedded database (data/driftguard.db). */
  dir: string;
  /** The embedded database file (when no database section was given). */
  dbPath: string;
  child: ChildProcess;
  logs(): string[];
  stderr(): string;
  /** The first log line (parsed) matching `pred`, waiting up to `ms` (default 10 s). */
  waitForLog(pred: (line: LogLine) => boolean, ms?: number): Promise<LogLine>;
  waitReady(ms?: number): Promise<void>;
  /** SIGTERM and wait for exit (SIGKILL after 15 s); the exit code. Removes the temp dir. */
  stop(): Promise<number | null>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AGENT_BIN = join(ROOT, 'bin', 'driftguard-agent.js');

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

function parse(line: string): LogLine | null {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null ? (v as LogLine) : null;
  } catch {
    return null;
  }
}

/** Runs the agent to completion with these arguments (for --help, --version, bad configs). */
export function runAgentOnce(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function startAgent(opts: StartAgentOptions): Promise<AgentProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-agent-'));
  const dbPath = join(dir, 'data', 'driftguard.db');
  const config = {
    ...opts.config,
    server: {
      port: 0,
      health_port: 0,
      address: '127.0.0.1',
      health_address: '127.0.0.1',
      ...opts.config['server'],
    },
    logging: { level: 'info', format: 'json', ...opts.config['logging'] },
    database: opts.config['database'] ?? { path: dbPath },
  };
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(config));
  const child = spawn(process.execPath, [opts.bin ?? AGENT_BIN, '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let stderr = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      running.delete(child);
      resolve(code);
    }),
  );
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const reader = createInterface({ input: child.stdout! });
  // Every line has been read once stdout closes (the exit event can come before the last lines).
  const drained = new Promise<void>((resolve) => reader.once('close', () => resolve()));
  reader.on('line', (line) => {
    lines.push(line);
    const parsed = parse(line);
    if (!parsed) return;
    for (const w of [...waiters]) {
      if (w.pred(parsed)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    }
  });

  const waitForLog = (pred: (l: LogLine) => boolean, ms = 10_000): Promise<LogLine> => {
    const found = lines.map(parse).find((l) => l !== null && pred(l));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        reject(
          new Error(
            `${why} (exit ${String(exitCode)}).\nstderr: ${stderr}\nlast lines:\n${lines.slice(-15).join('\n')}`,
          ),
        );
      };
      const waiter = {
        pred,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      const timer = setTimeout(() => fail(`no matching agent log line within ${ms} ms`), ms);
      waiters.push(waiter);
      // A dead agent writes no more lines: say so now instead of waiting out the timeout.
      void Promise.all([exited, drained]).then(() => {
        if (waiters.includes(waiter)) fail('the agent exited before a matching log line');
      });
    });
  };

  const stop = async (): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
    return exitCode ?? null;
  };

  let listening: LogLine;
  try {
    listening = await Promise.race([
      waitForLog((l) => l['event'] === 'server_listening', opts.startTimeoutMs ?? 30_000),
      exited.then((code) => {
        throw new Error(
          `agent exited (${String(code)}) before listening.\nstderr: ${stderr}\nstdout:\n${lines.join('\n')}`,
        );
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }

  const healthUrl = String(listening['health_url']);
  const waitReady = async (ms = 30_000): Promise<void> => {
    const deadline = Date.now() + ms;
    let last = '';
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`agent exited (${String(exitCode)}): ${stderr}`);
      const res = await fetch(`${healthUrl}/ready`).catch(() => null);
      if (res?.status === 200) return;
      last = res ? await res.text() : 'no answer';
      await new Promise((r) => setTimeout(r, 100));
    }
    const error = new Error(`agent not ready after ${ms} ms: ${last}\n${lines.slice(-10).join('\n')}`);
    // The caller's test fails here, usually in a before() hook that never hands the agent to its
    // after(): a live child would keep the test file's process, and with it the whole lane, open.
    await stop();
    throw error;
  };

  return {
    apiUrl: String(listening['api_url']),
    healthUrl,
    dir,
    dbPath,
    child,
    logs: () => [...lines],
    stderr: () => stderr,
    waitForLog,
    waitReady,
    stop,
  };
}
