// The test lanes. `unit`: the tests that start nothing (no API server, database, agent process,
// Git repository, plugin process or terminal) — under a minute. `servers`: the rest, against real
// parts on loopback. `all`: unit, then servers (what `npm test` runs after build, typecheck, lint
// and format). A test belongs to `servers` when it, or a test helper it imports (transitively),
// starts such a part: imports the cluster harness, the agent/plugin/repo kits or the tmux driver,
// or spawns a process itself (node:child_process). Every lane has a per-test timeout, so one hung
// child cannot hang CI. The unit lane runs in one process, so a unit test leaves no global state
// behind (environment, timers, listeners).
//
//   node --import tsx test/lanes.ts unit|servers|all [--list]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Test helpers that start a real part: a test importing one (even through another) needs servers. */
export const SERVER_KITS = [
  /^test\/cluster\//,
  /^test\/kit\/(agent-process|agent-fixture|agent-pod|in-cluster|plugin|repos|store-contract)\.ts$/,
  /^test\/ui\/tmux\.ts$/,
  /^test\/render\/tools\.ts$/,
  /^test\/git\//,
  /^test\/faults\//,
  /^test\/bench\//,
];

/** The servers lane's global setup: one control plane for the files that share it. */
export const SHARED_PLANE_SETUP = 'test/cluster/shared-plane.ts';

/** Per-test timeouts: generous; they end a hang, they are not a speed check. */
export const TIMEOUT_MS = { unit: 60_000, servers: 600_000 } as const;

function listTests(): string[] {
  const out = spawnSync('git', ['ls-files', '*.test.ts', '*.test.tsx'], { cwd: ROOT, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`git ls-files: ${out.stderr}`);
  return out.stdout.split('\n').filter((f) => f !== '');
}

/** Relative imports of a file (static, type-only and dynamic), as paths from the root. */
function importsOf(file: string): { files: string[]; spawns: boolean } {
  let text: string;
  try {
    text = readFileSync(join(ROOT, file), 'utf8');
  } catch {
    return { files: [], spawns: false };
  }
  const refs = ts.preProcessFile(text, true, true).importedFiles.map((r) => r.fileName);
  return {
    files: refs.filter((r) => r.startsWith('.')).map((r) => relative(ROOT, resolve(ROOT, dirname(file), r))),
    spawns: refs.some((r) => r === 'node:child_process' || r === 'child_process'),
  };
}

/** Whether `test` (a test file) needs servers: see the header. Only test code is followed. */
export function needsServers(test: string, read = importsOf): boolean {
  const seen = new Set<string>();
  const queue = [test];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    if (SERVER_KITS.some((k) => k.test(file))) return true;
    const { files, spawns } = read(file);
    if (spawns) return true;
    // Product code is not followed: it may spawn (Git, renderers) without a test calling that.
    for (const f of files) if (f.startsWith('test/') || /\.test\.tsx?$/.test(f)) queue.push(f);
  }
  return false;
}

export function lane(name: 'unit' | 'servers'): string[] {
  return listTests().filter((t) => needsServers(t) === (name === 'servers'));
}

function run(name: 'unit' | 'servers'): number {
  const files = lane(name);
  console.log(`# lane ${name}: ${files.length} files, --test-timeout=${TIMEOUT_MS[name]}`);
  const started = Date.now();
  // Unit tests share one process (no per-file start of node and tsx: a third of the time); each
  // server test file gets its own, one at a time (they start and kill servers), and the files that
  // do not stop or restart theirs share one control plane started once (test/kit/shared-cluster.ts).
  const isolation =
    name === 'unit'
      ? ['--test-isolation=none']
      : ['--test-concurrency=1', `--test-global-setup=${SHARED_PLANE_SETUP}`];
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', ...isolation, `--test-timeout=${TIMEOUT_MS[name]}`, ...files],
    { cwd: ROOT, stdio: 'inherit' },
  );
  console.log(`# lane ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${res.status}`);
  return res.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [which = 'all', flag] = process.argv.slice(2);
  if (!['unit', 'servers', 'all'].includes(which)) {
    console.error(`usage: test/lanes.ts unit|servers|all [--list] (not ${JSON.stringify(which)})`);
    process.exit(2);
  }
  const lanes: ('unit' | 'servers')[] = which === 'all' ? ['unit', 'servers'] : [which as 'unit' | 'servers'];
  if (flag === '--list') {
    for (const l of lanes) for (const f of lane(l)) console.log(`${l}\t${f}`);
    process.exit(0);
  }
  let status = 0;
  for (const l of lanes) status = run(l) || status;
  process.exit(status);
}
