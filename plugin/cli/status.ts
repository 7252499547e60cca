// `status`: one summary line and the table of active drifts; -o json|yaml prints the API's list.
import { Option, type Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import { SEVERITIES, type Severity } from '../../shared/types.ts';
import { renderDriftTable } from '../output/drift-rows.ts';
import { printDocument } from '../output/print.ts';
import { statusLine } from '../output/status-line.ts';
import { withAgent } from './agent-client.ts';
import { EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { globalFlags, namespaceFilter, sourceOption } from './options.ts';
import { requireTrackedNamespace } from './tracked.ts';

export function registerStatus(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('status')
    .description("summary of the cluster's drift and the active drifts (all namespaces unless -n)")
    .addOption(new Option('--severity <level>', 'only drifts of this severity').choices([...SEVERITIES]))
    .addOption(sourceOption())
    .action(async (opts: { severity?: Severity; source?: string }, cmd: Command) => {
      const flags = globalFlags(cmd);
      await withAgent(flags, io, async (client) => {
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
