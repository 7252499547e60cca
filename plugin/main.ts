// Entry point of kubectl-driftguard (loaded by bin/kubectl-driftguard.js).
import { processIo } from './cli/io.ts';
import { run } from './cli/run.ts';

const args = process.argv.slice(2);
// `__complete`: cobra's completion protocol, for kubectl_complete-driftguard and the completion scripts.
const code =
  args[0] === '__complete'
    ? await import('./complete-main.ts').then((m) => m.completeTo(args.slice(1)))
    : await run(args, processIo());
// Let stdout drain, then exit: open handles (sockets, timers) must not keep a finished command alive.
process.stdout.write('', () => process.exit(code));
