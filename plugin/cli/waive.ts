// `waive` (accept a known drift until an expiry), `unwaive` (revoke a waiver, as uncordon undoes
// cordon) and `waivers` (list them): the agent's /api/v1/waivers, through the shared client.
import { Option, type Command } from 'commander';
import { glob } from '../../shared/engine/index.ts';
import type { Waiver } from '../../shared/types.ts';
import { kubeconfigUser, matchWaiverId, waiverRequest } from '../act/waive.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { toJson, toYaml } from '../output/serialize.ts';
import { renderWaiverTable, waiverScopeText } from '../output/waiver-rows.ts';
import { withAgent } from './agent-client.ts';
import { actingClusterOption, checkActingCluster } from './acting-cluster.ts';
import { out, stdoutColors, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter, type GlobalFlags } from './options.ts';

interface WaiveOpts {
  cluster?: string;
  field?: string;
  rule?: string;
  for?: string;
  reason?: string;
  owner?: string;
  revoke?: string;
}

/** One waiver as -o asks: json/yaml the API's object, name `waiver/ID`, a table row otherwise. */
function printWaivers(flags: GlobalFlags, io: Io, doc: unknown, waivers: readonly Waiver[]): void {
  if (flags.output === 'json') return out(io, toJson(doc));
  if (flags.output === 'yaml') return out(io, toYaml(doc));
  if (flags.output === 'name') return out(io, waivers.map((w) => `waiver/${w.id}\n`).join(''));
  out(io, renderWaiverTable(waivers, { wide: flags.output === 'wide', colors: stdoutColors(io) }));
}

/** What `waive` says it did, kubectl style ("... created"). */
function madeLine(w: Waiver): string {
  const field = w.scope.field ? ` ${w.scope.field}` : '';
  return `waiver/${w.id} created: ${waiverScopeText(w)}${field} waived until ${w.expires_at} (owner ${w.owner})\n`;
}

async function revoke(flags: GlobalFlags, io: Io, ids: readonly string[]): Promise<void> {
  await withAgent(flags, io, async (client) => {
    const known = (await client.waivers()).waivers.map((w) => w.id);
    const revoked: Waiver[] = [];
    for (const given of ids) revoked.push(await client.revokeWaiver(matchWaiverId(given, known)));
    if (flags.output === 'table' || flags.output === 'wide')
      out(io, revoked.map((w) => `waiver/${w.id} revoked (${waiverScopeText(w)})\n`).join(''));
    else printWaivers(flags, io, revoked.length === 1 ? revoked[0] : { waivers: revoked }, revoked);
  });
}

export function registerWaive(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('waive')
    .argument('[resource]', 'KIND/NAME (with -n), Kind/namespace/name as get prints it, or a resource id')
    .description('accept a known drift until an expiry: it shows as waived, not active (unwaive ID ends it)')
    .option(
      '--field <path>',
      'only this field and what is under it, e.g. spec.replicas (default: every field)',
    )
    .option(
      '--rule <KIND/NAMESPACE/NAME>',
      'every resource these globs match instead of one, e.g. Deployment/shop/web-*',
    )
    .option('--for <duration>', 'how long, required: e.g. 7d, 12h, 30m (at most 366d)')
    .option('--reason <text>', 'why the drift is accepted (required)')
    .option('--owner <name>', 'who answers for it (default: the kubeconfig user)')
    .addOption(actingClusterOption())
    .addOption(new Option('--revoke <id>', 'the same as unwaive ID').hideHelp())
    .action(async (resource: string | undefined, opts: WaiveOpts, cmd: Command) => {
      const flags = globalFlags(cmd);
      if (opts.revoke !== undefined) {
        if (resource !== undefined || opts.for !== undefined)
          throw new CliError('--revoke ID takes nothing else (or use: kubectl driftguard unwaive ID)');
        await revoke(flags, io, [opts.revoke]);
        return setExit(EXIT_OK);
      }
      if (opts.for === undefined) throw new CliError('--for is required: how long, e.g. --for 7d');
      if (opts.reason === undefined)
        throw new CliError('--reason is required: say why this drift is accepted');
      const owner = opts.owner ?? kubeconfigUser(flags);
      if (!owner) throw new CliError('--owner is required: the kubeconfig names no user');
      await withAgent(flags, io, async (client) => {
        await checkActingCluster(client, opts.cluster, resource ?? opts.rule ?? '', 'waive', flags);
        const { request, warnings } = await waiverRequest(
          client,
          {
            ...(resource !== undefined ? { resource } : {}),
            ...(opts.rule !== undefined ? { rule: opts.rule } : {}),
            ...(opts.field !== undefined ? { field: opts.field } : {}),
            for: opts.for ?? '',
            reason: opts.reason ?? '',
            owner,
          },
          namespaceFilter(flags),
        );
        for (const w of warnings) warn(io, w);
        const made = await client.createWaiver(request);
        if (flags.output === 'table' || flags.output === 'wide') out(io, madeLine(made));
        else printWaivers(flags, io, made, [made]);
      });
      setExit(EXIT_OK);
    });
}

export function registerUnwaive(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('unwaive')
    .argument('<id...>', 'waiver ids, or unique prefixes of them as `waivers` prints them')
    .description('revoke waivers now: the drift they covered is active again')
    .action(async (ids: string[], _opts: unknown, cmd: Command) => {
      await revoke(globalFlags(cmd), io, ids);
      setExit(EXIT_OK);
    });
}

export function registerWaivers(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('waivers')
    .description('list the waivers: in force first, then those that ended (expired, revoked, void)')
    .option('--active', 'only waivers in force')
    .action(async (opts: { active?: boolean }, cmd: Command) => {
      const flags = globalFlags(cmd);
      const ns = namespaceFilter(flags);
      await withAgent(flags, io, async (client) => {
        const all = (await client.waivers()).waivers;
        const shown = all
          .filter((w) => !opts.active || w.state === 'active')
          // -n: the waivers that can cover a record there (a rule without a namespace covers every one).
          .filter((w) => ns === undefined || inNamespace(w, ns))
          .sort(byStateThenExpiry);
        if (shown.length === 0 && (flags.output === 'table' || flags.output === 'wide'))
          return out(
            io,
            `No ${opts.active ? 'active ' : ''}waivers found${ns ? ` in namespace ${ns}` : ''}\n`,
          );
        printWaivers(flags, io, { waivers: shown, count: shown.length }, shown);
      });
      setExit(EXIT_OK);
    });
}

function inNamespace(w: Waiver, ns: string): boolean {
  const s = w.scope;
  if (s.resource_id !== null) return s.resource_id.split(':')[1] === ns;
  return s.namespace === null || glob(s.namespace, ns);
}

function byStateThenExpiry(a: Waiver, b: Waiver): number {
  const live = (w: Waiver) => (w.state === 'active' ? 0 : 1);
  return live(a) - live(b) || a.expires_at.localeCompare(b.expires_at);
}
