// `driftguard-agent --config config.yaml`: load and validate the config (exit 2 with one message
// per problem on stderr when it is wrong), run the agent, stop cleanly on SIGTERM/SIGINT (exit 0).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from './agent.ts';
import { ConfigError, loadConfig } from './config/load.ts';

const USAGE = `Usage: driftguard-agent [--config FILE]

Watches a Kubernetes cluster, compares it with the manifests in Git and records drift.

Options:
  -c, --config FILE   YAML config file (see agent/config.example.yaml); every key can also be
                      set with DRIFTGUARD_<SECTION>_<KEY>, e.g. DRIFTGUARD_SERVER_PORT=9090
  -h, --help          show this help
  -v, --version       print the version
`;

function version(): string {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

type Args =
  | { kind: 'run'; config?: string }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

export function parseArgs(argv: string[]): Args {
  let config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '-v' || arg === '--version') return { kind: 'version' };
    if (arg === '-c' || arg === '--config') {
      const next = argv[++i];
      if (next === undefined || next.startsWith('-'))
        return { kind: 'error', message: `${arg} needs a file name` };
      config = next;
    } else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
    else return { kind: 'error', message: `unknown argument ${JSON.stringify(arg)}` };
  }
  return config === undefined ? { kind: 'run' } : { kind: 'run', config };
}

function fail(message: string, code: number): never {
  process.stderr.write(`driftguard-agent: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (args.kind === 'version') {
    process.stdout.write(`driftguard-agent ${version()}\n`);
    return;
  }
  if (args.kind === 'error') fail(`${args.message}\n\n${USAGE}`, 2);

  let agent: Agent;
  try {
    agent = new Agent(loadConfig(args.config), { version: version() });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    fail(`cannot start: ${err instanceof Error ? err.message : String(err)}`, 2);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.stderr.write(`driftguard-agent: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    agent.log.info({ event: 'shutdown', signal }, `${signal}: finishing the write in flight, then closing`);
    agent.stop().then(
      () => {
        agent.log.info({ event: 'shutdown', done: true }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => fail(`error while stopping: ${err instanceof Error ? err.message : String(err)}`, 1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await agent.start();
  } catch (err) {
    agent.log.fatal(
      { event: 'shutdown', err: err instanceof Error ? err.message : String(err) },
      'start failed',
    );
    await agent.stop().catch(() => undefined);
    fail(`start failed: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}

await main();
