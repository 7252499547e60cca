// `ui`: the interactive drift browser (plugin/ui), loaded only when asked for so the other
// commands never pay for Ink and React.
import type { Command } from 'commander';
import { loadKubeConfig } from '../kube/config.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import type { Io } from './io.ts';
import {
  addClusterOptions,
  clusterFilter,
  globalFlags,
  namespaceFilter,
  type GlobalFlags,
} from './options.ts';

export async function runUiCommand(flags: GlobalFlags, io: Io, cluster?: string): Promise<void> {
  if (!io.stdinIsTTY || io.stdout.isTTY !== true) {
    throw new CliError(
      'the drift browser needs an interactive terminal: use `kubectl driftguard status` or `get -o json` instead',
    );
  }
  const { runUi } = await import('../ui/index.ts');
  const { driftActions } = await import('../act/actions.ts');
  const { adoptRecord } = await import('../adopt/record.ts');
  // The kubeconfig is read when a revert needs it, so browsing works with --agent-url alone.
  await withAgent(flags, io, (client) =>
    runUi({
      client,
      namespace: namespaceFilter(flags),
      ...(cluster !== undefined ? { cluster } : {}),
      // `A` adopts into the checkout the browser was started in.
      actions: driftActions(
        client,
        () => loadKubeConfig(flags),
        (id) => adoptRecord(client, id, process.cwd()),
      ),
    }),
  );
}

export function registerUi(program: Command, io: Io, setExit: (code: number) => void): void {
  addClusterOptions(program.command('ui'))
    .description('browse drift interactively (needs a terminal)')
    .action(async (opts: { cluster?: string; allClusters?: boolean }, cmd: Command) => {
      await runUiCommand(globalFlags(cmd), io, clusterFilter(opts));
      setExit(EXIT_OK);
    });
}
