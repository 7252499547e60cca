// Engine cost per object: calls the engine's own benchEngine(n) (shared/engine/bench.ts) for
// 1,000 and 10,000 objects when it exists, and prints the wall time per object.
import { optionalExport } from './optional.ts';

type BenchEngine = (n: number) => unknown;

export async function runEngineBench(): Promise<void> {
  console.log('\n# Engine');
  const benchEngine = await optionalExport<BenchEngine>('../../shared/engine/bench.ts', 'benchEngine');
  if (!benchEngine) {
    console.log('shared/engine/bench.ts exports no benchEngine(n) yet: skipped');
    return;
  }
  for (const n of [1000, 10_000]) {
    const started = performance.now();
    const result = await benchEngine(n);
    const ms = performance.now() - started;
    const reported = result === undefined ? '' : `   reported: ${JSON.stringify(result)}`;
    console.log(`n=${String(n).padEnd(6)} ${ms.toFixed(0).padStart(6)} ms total   ${((ms * 1000) / n).toFixed(1)} µs/object${reported}`);
  }
}
