// `npm run bench [-- name...] [--sizes 1000,10000] [--ferret-sizes 1000] [--changes 50] [--cold-only]
// [--held-sizes 1000,10000,100000] [--initial-sizes 10000] [--initial-runs 3]` (held: the held state
// per object in-process, held-state.ts; initial: kube-apiserver's cost of the agent's initial read,
// watch-list against paged lists, on a bare control plane seeded by parallel POSTs, initial-state.ts):
// one suite (--cold-only: the scale bench's cold start, warm runs and memory only, for iterating).
// Runs each benchmark in turn, prints every figure as it comes, then one table of figures, goals
// and ratios with the machine (cores, memory), and writes it as JSON to bench/results/<date>.json.
// Never fails because the machine is slow: a benchmark that breaks is reported as a note.
// 100,000 objects is opt-in (`--sizes 1000,10000,100000`): applying them alone takes long on 2 cores.
import { runAccuracyBench } from './accuracy.ts';
import { runApiBench } from './api.ts';
import { runEngineBench } from './engine.ts';
import { runHeldStateBench } from './held-state.ts';
import { runInitialStateBench } from './initial-state.ts';
import { machine, note, writeReport } from './report.ts';
import { runScaleBench } from './scale.ts';

function listArg(args: string[], flag: string, fallback: number[]): number[] {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const v = args[i + 1] ?? '';
  args.splice(i, 2);
  // An empty value is an empty list (`--ferret-sizes ''`: no FerretDB run).
  const list = v === '' ? [] : v.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error(`${flag} takes a comma-separated list of positive integers, not ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return list;
}

const args = process.argv.slice(2);
const sizes = listArg(args, '--sizes', [1000, 10_000]);
const ferretSizes = listArg(args, '--ferret-sizes', [1000]);
const [latencyChanges = 50] = listArg(args, '--changes', [50]);
const heldSizes = listArg(args, '--held-sizes', [1000, 10_000, 100_000]);
const initialSizes = listArg(args, '--initial-sizes', [10_000]);
const [initialRuns = 3] = listArg(args, '--initial-runs', [3]);
const coldOnly = args.includes('--cold-only');
if (coldOnly) args.splice(args.indexOf('--cold-only'), 1);

const BENCHMARKS: Record<string, () => Promise<void>> = {
  engine: runEngineBench,
  scale: () => runScaleBench({ sizes, ferretSizes, latencyChanges, coldOnly }),
  held: () => runHeldStateBench(heldSizes),
  initial: () => runInitialStateBench({ sizes: initialSizes, runs: initialRuns }),
  api: runApiBench,
  accuracy: runAccuracyBench,
};

const unknown = args.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (have: ${Object.keys(BENCHMARKS).join(', ')})`);
  process.exit(2);
}
const m = machine();
console.log(`${m.cores} cores (${m.cpu}), ${m.memoryGb} GB memory, node ${m.node}, ${m.platform}`);
console.log(
  `sizes ${sizes.join(', ')}; FerretDB at ${ferretSizes.join(', ') || 'none'}; ${latencyChanges} latency changes`,
);
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (args.length > 0 && !args.includes(name)) continue;
  try {
    await run();
  } catch (err) {
    note(`${name} stopped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
writeReport({
  benchmarks: args.length > 0 ? args : Object.keys(BENCHMARKS),
  sizes,
  ferretSizes,
  latencyChanges,
  coldOnly,
});
// The harness's servers are stopped by each benchmark; exit even if a client keeps a handle.
process.exit(0);
