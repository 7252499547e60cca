// `describe KIND/NAME` (or a resource id): one record in full with its diff and history; with
// --cluster NAME, a record of another cluster whose agent shares the agent's database.
import type { Command } from 'commander';
import { renderDescribe } from '../output/describe.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { clusterOption, globalFlags, namespaceFilter } from './options.ts';
import { resolveRecord } from '../act/resolve-target.ts';

export function registerDescribe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('describe')
    .argument('<resource>', 'KIND/NAME (e.g. deployment/web, with -n) or a resource id (Deployment:shop:web)')
    .description('show one drift record in full: fields, desired-vs-live diff, history')
    .addOption(clusterOption("a record of another cluster (agents sharing the agent's database)"))
    .action(async (resource: string, opts: { cluster?: string }, cmd: Command) => {
      const flags = globalFlags(cmd);
      await withAgent(flags, io, async (client) => {
        const rec = await resolveRecord(client, resource, namespaceFilter(flags), opts.cluster);
        const address = opts.cluster === undefined ? {} : { cluster: opts.cluster };
        const history = await client.history(rec.resource_id, address);
        out(
          io,
          printDocument(flags.output, { record: rec, history: history.events }, () =>
            renderDescribe(rec, history.events, stdoutColors(io)),
          ),
        );
      });
      setExit(EXIT_OK);
    });
}
