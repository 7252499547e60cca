// `driftguard-agent --config config.yaml`: load and validate the config (exit 2 with one message
// per problem on stderr when it is wrong), run the agent, stop cleanly on SIGTERM/SIGINT (exit 0).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from './agent.ts';
import { parseArgs, USAGE } from './args.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { guardSpawnExhaustion } from './spawn-guard.ts';
import { errorMessage } from '../shared/errors.ts';

function version(): string {
  const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
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
    fail(`cannot start: ${errorMessage(err)}`, 2);
  }

  guardSpawnExhaustion((err) =>
    agent.log.error(
      { event: 'spawn_failed', command: err.path ?? null, err: err.message },
      `could not start ${err.path ?? 'a command'}: ${err.code} (out of descriptors or processes); the task that ran it fails and is retried`,
    ),
  );

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
      (err: unknown) => fail(`error while stopping: ${errorMessage(err)}`, 1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await agent.start();
  } catch (err) {
    agent.log.fatal({ event: 'shutdown', err: errorMessage(err) }, 'start failed');
    await agent.stop().catch(() => undefined);
    fail(`start failed: ${errorMessage(err)}`, 1);
  }
}

await main();
