// `ui`: the interactive drift browser (plugin/ui), loaded only when asked for so the other
// commands never pay for Ink and React.
import type { Command } from 'commander';
import { DriftGuardClient } from '../../shared/api/client.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_OK } from './errors.ts';
import type { Io } from './io.ts';
import { globalFlags, namespaceFilter, type GlobalFlags } from './options.ts';

interface UiModule {
  runUi(opts: { client: DriftGuardClient; namespace?: string }): Promise<void>;
}

async function loadUi(): Promise<UiModule> {
  const mod: Partial<UiModule> = await import('../ui/index.ts');
  if (typeof mod.runUi !== 'function') throw new CliError('the drift browser is not part of this build: use `kubectl driftguard status` instead');
  return mod as UiModule;
}

export async function runUiCommand(flags: GlobalFlags, io: Io): Promise<void> {
  if (!io.stdinIsTTY || io.stdout.isTTY !== true) {
    throw new CliError('the drift browser needs an interactive terminal: use `kubectl driftguard status` or `get -o json` instead');
  }
  const ui = await loadUi();
  await withAgent(flags, io, (client) => ui.runUi({ client, namespace: namespaceFilter(flags) }));
}

export function registerUi(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('ui')
    .description('browse drift interactively (needs a terminal)')
    .action(async (_opts: unknown, cmd: Command) => {
      await runUiCommand(globalFlags(cmd), io);
      setExit(EXIT_OK);
    });
}
