// `ignore RESOURCE --field PATH`: proposes the narrowest ignore rule for a drifted field, shows
// what it would match now, and prints it for the config and as the Git annotation; with --waive
// it is stored as a waiver instead (the agent's /api/v1/waivers, as `waive` does).
import type { Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import { proposeIgnore } from '../act/ignore.ts';
import { resolveRecord } from '../act/resolve-target.ts';
import { kubeconfigUser, waiverRequest } from '../act/waive.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { renderIgnore } from '../act/ignore-text.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { out, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter } from './options.ts';

interface IgnoreOpts {
  field: string;
  waive?: boolean;
  for?: string;
  reason?: string;
  owner?: string;
}

export function registerIgnore(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('ignore')
    .argument('<resource>', 'KIND/NAME (with -n) or a resource id (Deployment:shop:web)')
    .description(
      'propose the narrowest ignore rule for a drifted field, for the config or the Git annotation',
    )
    .requiredOption(
      '--field <path>',
      'the drifted field, e.g. spec.replicas or spec.template.spec.containers[name=istio-proxy]',
    )
    .option('--waive', 'store it as a waiver that expires instead (needs --for and --reason)')
    .option('--for <duration>', 'with --waive: how long, e.g. 7d')
    .option('--reason <text>', 'with --waive: why the drift is accepted')
    .option('--owner <name>', 'with --waive: who answers for it (default: the kubeconfig user)')
    .action(async (resource: string, opts: IgnoreOpts, cmd: Command) => {
      const flags = globalFlags(cmd);
      const ns = namespaceFilter(flags);
      if (!opts.waive && (opts.for !== undefined || opts.reason !== undefined))
        throw new CliError('--for and --reason go with --waive');
      await withAgent(flags, io, async (client) => {
        const record = await resolveRecord(client, resource, ns);
        const records = (await allPages((f) => client.active(f))).drift_records;
        const proposal = proposeIgnore(record, opts.field, records);
        if (!opts.waive)
          return out(
            io,
            printDocument(flags.output, proposal, () => renderIgnore(proposal)),
          );
        if (opts.for === undefined) throw new CliError('--waive needs --for: how long, e.g. --for 7d');
        if (opts.reason === undefined)
          throw new CliError('--waive needs --reason: say why this drift is accepted');
        const owner = opts.owner ?? kubeconfigUser(flags);
        if (!owner) throw new CliError('--owner is required: the kubeconfig names no user');
        const { request, warnings } = await waiverRequest(
          client,
          { resource: record.resource_id, field: opts.field, for: opts.for, reason: opts.reason, owner },
          ns,
        );
        for (const w of warnings) warn(io, w);
        const made = await client.createWaiver(request);
        out(
          io,
          printDocument(
            flags.output,
            made,
            () =>
              `waiver/${made.id} created: ${record.resource_id} ${opts.field} waived until ${made.expires_at} (owner ${made.owner})\n`,
          ),
        );
      });
      setExit(EXIT_OK);
    });
}
