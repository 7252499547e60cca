// Engine cost per object: the engine's own benchEngine(n) (test/engine/bench.ts) over 1,000 and
// 10,000 realistic desired/live pairs, some of them drifted.
import { benchEngine } from '../engine/bench.ts';
import { figure } from './report.ts';

export async function runEngineBench(): Promise<void> {
  console.log('\n# Engine (parse → normalise → compare → classify)');
  for (const n of [1000, 10_000]) {
    const r = benchEngine(n);
    figure({
      section: 'engine',
      name: `${n} pairs, µs per object`,
      value: r.perObjectUs,
      unit: 'µs',
      note: `${r.ms.toFixed(0)} ms total`,
    });
    console.log(
      `n=${String(n).padEnd(6)} ${r.ms.toFixed(0).padStart(6)} ms total   ${r.perObjectUs.toFixed(1)} µs/object   ${r.drifted} drifted`,
    );
  }
}
