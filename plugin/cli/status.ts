// `status`: one summary line and the table of active drifts; -o json|yaml prints the API's list.
// `--all-clusters`: one summary line per cluster of the agent's database (-o json|yaml: the
// statistics' clusters).
import { Option, type Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import type { DriftGuardClient } from '../../shared/api/client.ts';
import { SEVERITIES, type Severity } from '../../shared/types.ts';
import { renderDriftTable } from '../output/drift-rows.ts';
import { printDocument } from '../output/print.ts';
import { clusterLines, statusLine } from '../output/status-line.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { globalFlags, namespaceFilter, sourceOption, type GlobalFlags } from './options.ts';
import { requireTrackedNamespace } from './tracked.ts';

interface StatusOpts {
  severity?: Severity;
  source?: string;
  allClusters?: boolean;
}

async function allClusters(client: DriftGuardClient, flags: GlobalFlags, io: Io): Promise<void> {
  const { clusters } = await client.statistics();
  out(
    io,
    printDocument(flags.output, { clusters }, () => clusterLines(clusters, stdoutColors(io))),
  );
}

export function registerStatus(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('status')
    .description("summary of the cluster's drift and the active drifts (all namespaces unless -n)")
    .addOption(new Option('--severity <level>', 'only drifts of this severity').choices([...SEVERITIES]))
    .addOption(sourceOption())
    .option(
      '--all-clusters',
      "one line per cluster of the agent's database: tracked, active by severity, last analysis, agent version",
    )
    .action(async (opts: StatusOpts, cmd: Command) => {
      const flags = globalFlags(cmd);
      if (opts.allClusters && (opts.severity || opts.source || namespaceFilter(flags) !== undefined))
        throw new CliError(
          '--all-clusters prints one line per cluster: it takes no --severity, --source or -n',
        );
      await withAgent(flags, io, async (client) => {
        if (opts.allClusters) return allClusters(client, flags, io);
        const ns = namespaceFilter(flags);
        await requireTrackedNamespace(client, ns);
        const active = await allPages((f) => client.active(f), {
          namespace: ns,
          severity: opts.severity,
          source: opts.source,
        });
        if (flags.output === 'json' || flags.output === 'yaml') {
          out(
            io,
            printDocument(flags.output, active, () => ''),
          );
          return;
        }
        const colors = stdoutColors(io);
        const stats = await client.statistics();
        const table = active.drift_records.length
          ? '\n' +
            renderDriftTable(active.drift_records, { wide: flags.output === 'wide', withAge: true, colors })
          : '';
        out(io, statusLine(stats, active.drift_records, colors) + table);
      });
      setExit(EXIT_OK);
    });
}
