// `npm run bench [-- name...]`: runs each benchmark in turn and prints figures; never asserts.
// A benchmark is a file exporting one async function; add it to the list below.
import { benchAnalyzeLocal } from './analyze-local.ts';
import { runApiBench } from './api.ts';
import { runEngineBench } from './engine.ts';
import { runLatencyBench } from './latency.ts';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  engine: runEngineBench,
  latency: runLatencyBench,
  'analyze-local': benchAnalyzeLocal,
  api: runApiBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (have: ${Object.keys(BENCHMARKS).join(', ')})`);
  process.exit(2);
}
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
// The harness's servers are stopped by each benchmark; exit even if a client keeps a handle.
process.exit(0);
