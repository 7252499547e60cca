// Helpers of the plugin's end-to-end tests: run the real launcher as a process, and copy a
// manifest set into a temp repository under a fresh namespace.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PLUGIN = join(ROOT, 'bin', 'kubectl-driftguard.js');
export const COMPLETE = join(ROOT, 'bin', 'kubectl_complete-driftguard.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a launcher with this test's Node (the pinned one), never a TTY; kills it after `timeoutMs`. */
export function runBin(
  bin: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', DRIFTGUARD_AGENT_URL: '', ...opts.env };
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: ROOT, env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function runPlugin(
  args: string[],
  opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return runBin(PLUGIN, args, opts);
}

/** `kubectl driftguard analyze --local` of a repo against a cluster, as JSON. */
export function analyzeLocal(repo: string, kubeconfig: string, extra: string[] = []): Promise<RunResult> {
  return runPlugin([
    'analyze',
    '--local',
    '--repo',
    repo,
    '--kubeconfig',
    kubeconfig,
    '-o',
    'json',
    ...extra,
  ]);
}

const temps: string[] = [];
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A temp dir removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A copy of `srcDir`'s manifests with namespace `from` renamed to `to`, in a new temp dir. */
export function copyRepo(srcDir: string, from: string, to: string): string {
  const dir = tempDir('driftguard-test-repo-');
  cpSync(srcDir, dir, { recursive: true });
  for (const f of readdirSync(dir)) {
    if (!/\.ya?ml$/.test(f)) continue;
    const p = join(dir, f);
    const text = readFileSync(p, 'utf8')
      .replace(new RegExp(`namespace: ${from}\\b`, 'g'), `namespace: ${to}`)
      .replace(new RegExp(`(kind: Namespace\\nmetadata:\\n  name:) ${from}\\b`, 'g'), `$1 ${to}`);
    writeFileSync(p, text);
  }
  return dir;
}

export interface JsonReport<T> {
  drift_records: T[];
  count: number;
}

export function parseJson<T>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}
