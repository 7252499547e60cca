// `get`: the drift records the agent keeps (all, --active or --resolved), or one of them.
import type { Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import { renderDriftTable } from '../output/drift-rows.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { globalFlags, namespaceFilter, sourceOption } from './options.ts';
import { resolveRecord } from '../act/resolve-target.ts';

export function registerGet(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('get')
    .argument('[resource]', 'a resource id (Deployment:shop:web) or KIND/NAME')
    .description('list drift records (all namespaces unless -n), or show one')
    .option('--active', 'only active drifts')
    .option('--resolved', 'only resolved drifts')
    .option('--cluster <name>', "another cluster's records, when several share the agent's database")
    .addOption(sourceOption())
    .action(
      async (
        resource: string | undefined,
        opts: { active?: boolean; resolved?: boolean; cluster?: string; source?: string },
        cmd: Command,
      ) => {
        const flags = globalFlags(cmd);
        if (opts.active && opts.resolved)
          throw new CliError('--active and --resolved are mutually exclusive');
        if (opts.cluster !== undefined && resource)
          throw new CliError("--cluster lists another cluster's records; it takes no resource");
        await withAgent(flags, io, async (client) => {
          const colors = stdoutColors(io);
          const ns = namespaceFilter(flags);
          if (resource) {
            const rec = await resolveRecord(client, resource, ns);
            out(
              io,
              printDocument(flags.output, rec, (wide) =>
                renderDriftTable([rec], { wide, withAge: true, withStatus: true, colors }),
              ),
            );
            return;
          }
          const endpoint = opts.active
            ? client.active.bind(client)
            : opts.resolved
              ? client.resolved.bind(client)
              : client.records.bind(client);
          const list = await allPages(endpoint, {
            ...(ns ? { namespace: ns } : {}),
            ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
            ...(opts.source ? { source: opts.source } : {}),
          });
          out(
            io,
            printDocument(flags.output, list, (wide) =>
              list.drift_records.length
                ? renderDriftTable(list.drift_records, { wide, withAge: true, withStatus: true, colors })
                : `No drift records found${ns ? ` in namespace ${ns}` : ''}${
                    opts.cluster !== undefined ? ` of cluster ${opts.cluster}` : ''
                  }${opts.source ? ` from source ${opts.source}` : ''}\n`,
            ),
          );
        });
        setExit(EXIT_OK);
      },
    );
}
