// `describe KIND/NAME` (or a resource id): one record in full with its diff and history.
import type { Command } from 'commander';
import { renderDescribe } from '../output/describe.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { EXIT_OK } from '../errors.ts';
import { out, stdoutColors, type Io } from './io.ts';
import { globalFlags, namespaceFilter } from './options.ts';
import { resolveRecord } from '../act/resolve-target.ts';

export function registerDescribe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('describe')
    .argument('<resource>', 'KIND/NAME (e.g. deployment/web, with -n) or a resource id (Deployment:shop:web)')
    .description('show one drift record in full: fields, desired-vs-live diff, history')
    .action(async (resource: string, _opts: unknown, cmd: Command) => {
      const flags = globalFlags(cmd);
      await withAgent(flags, io, async (client) => {
        const rec = await resolveRecord(client, resource, namespaceFilter(flags));
        const history = await client.history(rec.resource_id);
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
