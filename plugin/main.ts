// Entry point of kubectl-driftguard (loaded by bin/kubectl-driftguard.js).
import { processIo } from './cli/io.ts';
import { run } from './cli/run.ts';

const code = await run(process.argv.slice(2), processIo());
// Let stdout drain, then exit: open handles (sockets, timers) must not keep a finished command alive.
process.stdout.write('', () => process.exit(code));
