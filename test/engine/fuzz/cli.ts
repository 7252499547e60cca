// `npm run fuzz -- --runs N --seed S [--kinds Deployment,Service]`: the round trip with a bigger
// budget on a fresh control plane. Prints fast-check's report (seed, path, shrunk object) on failure.
import { parseArgs } from 'node:util';
import { startControlPlane } from '../../cluster/control-plane.ts';
import { fuzzRoundTrip } from './round-trip.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100' }, seed: { type: 'string' }, kinds: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --runs N --seed S [--kinds A,B]');
  process.exit(2);
}
console.log(`fuzz: ${runs} runs, seed ${seed}`);
const plane = await startControlPlane();
let code = 0;
try {
  const stats = await fuzzRoundTrip(plane, {
    runs,
    seed,
    ...(values.kinds ? { kinds: values.kinds.split(',') } : {}),
  });
  console.log(
    `fuzz: ${stats.runs} objects compared three ways (${JSON.stringify(stats.byKind)}), ${stats.rejected} rejected by the server, ${stats.mutations} mutations found`,
  );
  for (const r of stats.rejections) console.log(`  rejected: ${r}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  // fast-check keeps the property's own error as the cause: the reason the shrunk object fails.
  if (err instanceof Error && err.cause instanceof Error) console.error(`cause: ${err.cause.message}`);
  code = 1;
} finally {
  await plane.stop();
}
process.exit(code);
