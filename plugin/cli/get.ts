// `get`: the drift records the agent keeps (all, --active or --resolved), or one of them.
import type { Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import { byCluster, renderDriftTable } from '../output/drift-rows.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { addClusterOptions, clusterFilter, globalFlags, namespaceFilter, sourceOption } from './options.ts';
import { resolveRecord } from '../act/resolve-target.ts';

export function registerGet(program: Command, io: Io, setExit: (code: number) => void): void {
  addClusterOptions(program.command('get'))
    .argument('[resource]', 'a resource id (Deployment:shop:web) or KIND/NAME')
    .description('list drift records (all namespaces unless -n), or show one')
    .option('--active', 'only active drifts')
    .option('--resolved', 'only resolved drifts')
    .addOption(sourceOption())
    .action(
      async (
        resource: string | undefined,
        opts: {
          active?: boolean;
          resolved?: boolean;
          cluster?: string;
          allClusters?: boolean;
          source?: string;
        },
        cmd: Command,
      ) => {
        const flags = globalFlags(cmd);
        if (opts.active && opts.resolved)
          throw new CliError('--active and --resolved are mutually exclusive');
        const cluster = clusterFilter(opts);
        if (cluster !== undefined && resource)
          throw new CliError(
            `${opts.allClusters ? '--all-clusters' : '--cluster'} lists several clusters' records; it takes no resource`,
          );
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
            ...(cluster !== undefined ? { cluster } : {}),
            ...(opts.source ? { source: opts.source } : {}),
          });
          const rows = cluster !== undefined ? byCluster(list.drift_records) : list.drift_records;
          out(
            io,
            printDocument(flags.output, list, (wide) =>
              rows.length
                ? renderDriftTable(rows, {
                    wide,
                    withAge: true,
                    withStatus: true,
                    withCluster: cluster !== undefined,
                    colors,
                  })
                : `No drift records found${ns ? ` in namespace ${ns}` : ''}${
                    opts.allClusters
                      ? ' in any cluster'
                      : cluster !== undefined
                        ? ` of cluster ${cluster}`
                        : ''
                  }${opts.source ? ` from source ${opts.source}` : ''}\n`,
            ),
          );
        });
        setExit(EXIT_OK);
      },
    );
}
