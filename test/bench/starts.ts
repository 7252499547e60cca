// Agent starts on one seeded cluster, for iterating on start-up time without seeding again:
//
//   node --import tsx test/bench/starts.ts seed --size 10000 --state /tmp/starts.json
//     starts a full cluster, applies the scale bench's objects (objects.ts), makes their Git repo,
//     writes where they are to the state file and keeps them until SIGINT/SIGTERM.
//   node --import tsx test/bench/starts.ts run --state /tmp/starts.json [--restarts 2] [--no-cold]
//     builds the bundle from this checkout and starts the agent (embedded store) on that cluster:
//     a cold start on a fresh store and clone, then `--restarts` restarts on what it stored, each
//     with the phases the scale bench prints and the top self time of its CPU profile
//     (DRIFTGUARD_BENCH_LOGS=<dir> keeps each log and .cpuprofile). --store <dir> keeps the store
//     and clone between invocations (then --no-cold runs restarts only); --bundle <file> starts that
//     agent bundle instead (a copy of another commit's dist/driftguard-agent.mjs: before/after;
//     its own cold start first, since the memo keys name the agent's code). --ferret: the agent
//     on a FerretDB started for this invocation (a new database, so its cold start is a first start).
// Asserts nothing; compare figures of runs made in the same conditions.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../cluster/cluster.ts';
import { startFerretDB } from '../cluster/ferretdb.ts';
import { makeRepo } from '../kit/repos.ts';
import { applyObjects, generateObjects, repoFiles } from './objects.ts';
import { gitLoad, launchAgent, recordsStored, stopProfile, storeConfig, type Running } from './scale.ts';
import { verdictCounts } from '../kit/agent-fixture.ts';

interface State {
  kubeconfig: string;
  dir: string;
  branch: string;
  size: number;
}

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function seed(args: string[]): Promise<void> {
  const size = Number(option(args, '--size') ?? 10_000);
  const stateFile = option(args, '--state');
  if (!stateFile || !Number.isInteger(size) || size <= 0) throw new Error('seed --size N --state FILE');
  const cluster = await startCluster();
  const objects = generateObjects(size);
  const repo = makeRepo(repoFiles(objects));
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    rmSync(stateFile, { force: true });
    await cluster.stop();
    repo.remove();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const seconds = await applyObjects(cluster, objects);
  const state: State = { kubeconfig: cluster.kubeconfig, dir: repo.dir, branch: repo.branch, size };
  writeFileSync(stateFile, JSON.stringify(state));
  console.log(`seeded ${size} objects in ${seconds.toFixed(0)} s; state in ${stateFile}; SIGTERM stops`);
  // Keeps the event loop (and the cluster's processes) alive until a signal.
  setInterval(() => {}, 60_000);
}

function report(label: string, run: Running, verdicts: { remembered: number; computed: number }): void {
  console.log(
    `${label}: start → first complete analysis ${(run.coldMs / 1000).toFixed(2)} s; ${run.coldPhases}; ` +
      `first analysis ${run.coldAgentMs} ms (remembered ${verdicts.remembered}, computed ${verdicts.computed}); ` +
      `agent CPU ${run.coldCpuMs} ms; ${gitLoad(run.agent)}`,
  );
}

async function runs(args: string[]): Promise<void> {
  const stateFile = option(args, '--state');
  if (!stateFile)
    throw new Error('run --state FILE [--restarts N] [--no-cold] [--store DIR] [--bundle FILE] [--ferret]');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  const restarts = Number(option(args, '--restarts') ?? 2);
  const kept = option(args, '--store');
  const storeDir = kept ?? mkdtempSync(join(tmpdir(), 'driftguard-bench-store-'));
  mkdirSync(storeDir, { recursive: true });
  const ferret = args.includes('--ferret') ? await startFerretDB() : null;
  const database = storeConfig(ferret, state.size, storeDir);
  const workDir = join(storeDir, 'git-clone');
  const repo = { dir: state.dir, branch: state.branch };
  try {
    const starts = [
      ...(args.includes('--no-cold') ? [] : ['cold']),
      ...Array.from({ length: restarts }, (_, i) => `restart ${i + 1}`),
    ];
    for (const label of starts) {
      const run = await launchAgent(state, repo, database, workDir, option(args, '--bundle'));
      try {
        report(label, run, await verdictCounts(run.agent));
        if (label === 'cold') console.log(`  stopped ${await recordsStored(run.agent)}`);
      } finally {
        await run.agent.stop();
        stopProfile(run, `starts ${state.size} ${label}`);
      }
    }
  } finally {
    await ferret?.stop();
    if (!kept) rmSync(storeDir, { recursive: true, force: true });
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'seed') await seed(rest);
else if (mode === 'run') {
  await runs(rest);
  process.exit(0);
} else {
  console.error(
    'usage: starts.ts seed --size N --state FILE | run --state FILE [--restarts N] [--no-cold] [--store DIR] [--bundle FILE] [--ferret]',
  );
  process.exit(2);
}
