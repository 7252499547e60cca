// What the side by side runs: `kubectl diff` as users run it (client-side, and --server-side), and
// `kubectl driftguard analyze --local` as krew installs it: the packaged launcher, which runs the
// bundle with the Node it finds (here the pinned one) and keeps its compile cache in a temp
// XDG_CACHE_HOME for the bench run (the first run fills it, as a user's first command does).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKubectl } from '../cluster/control-plane.ts';
import { ROOT } from '../kit/plugin.ts';

export const LAUNCHER = join(ROOT, 'dist', 'kubectl-driftguard');

export interface Timed {
  ms: number;
  /** Objects reported as different. */
  found: number;
}

/** `kubectl diff -R -f dir` (or with --server-side): wall time and how many objects differ. */
export async function kubectlDiff(kubeconfig: string, dir: string, serverSide: boolean): Promise<Timed> {
  const started = performance.now();
  const r = await runKubectl(kubeconfig, [
    'diff',
    ...(serverSide ? ['--server-side', '--field-manager', 'bench', '--force-conflicts'] : []),
    '-R',
    '-f',
    dir,
  ]);
  const ms = performance.now() - started;
  if (r.code > 1) throw new Error(`kubectl diff failed (${r.code}): ${r.stderr.slice(0, 500)}`);
  return { ms, found: (r.stdout.match(/^diff -u -N /gm) ?? []).length };
}

const cacheHome = mkdtempSync(join(tmpdir(), 'driftguard-bench-cache-'));
process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));

/**
 * `kubectl driftguard analyze --local --repo repo --path path -o json` through the launcher (another
 * package's launcher with `launcher`; `env` adds variables, e.g. NODE_OPTIONS=--cpu-prof).
 */
export function analyzeLocal(
  kubeconfig: string,
  repo: string,
  path: string,
  launcher = LAUNCHER,
  extraEnv: NodeJS.ProcessEnv = {},
  extraArgs: string[] = [],
): Promise<Timed> {
  const args = [
    'analyze',
    '--local',
    '--repo',
    repo,
    '--path',
    path,
    '--kubeconfig',
    kubeconfig,
    '-o',
    'json',
    ...extraArgs,
  ];
  const env = {
    ...process.env,
    NO_COLOR: '1',
    DRIFTGUARD_AGENT_URL: '',
    KUBECTL_DRIFTGUARD_NODE: process.execPath,
    XDG_CACHE_HOME: cacheHome,
    ...extraEnv,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      launcher,
      args,
      { env, timeout: 600_000, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const ms = performance.now() - started;
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (code !== 0 && code !== 1) {
          reject(new Error(`analyze --local failed (${code}): ${stderr.slice(0, 500)}`));
          return;
        }
        const doc = JSON.parse(stdout) as { drift_records: { drift_detected: boolean }[] };
        resolve({ ms, found: doc.drift_records.filter((x) => x.drift_detected).length });
      },
    );
  });
}
