// `revert KIND/NAME`: puts one object back to what Git declares, with the user's own kubeconfig
// (server-side apply, field manager driftguard-revert). Shows the diff and asks first unless --yes.
import type { Command } from 'commander';
import { Option } from 'commander';
import {
  executeRevert,
  planDiff,
  prepareRevert,
  pruneNote,
  revertSummary,
  type PlanSource,
} from '../act/revert.ts';
import { agentPlans, checkLocalFlags, repoPlans, type LocalFlags } from '../act/targets.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { withAgent } from './agent-client.ts';
import { actingClusterOption, checkActingCluster, noClusterWithLocal } from './acting-cluster.ts';
import { CliError, EXIT_DRIFT, EXIT_OK } from '../errors.ts';
import { confirm, out, stdoutColors, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter } from './options.ts';

interface RevertFlags extends LocalFlags {
  cluster?: string;
  dryRun: 'none' | 'server';
  yes?: boolean;
  forceConflicts?: boolean;
  pruneFields?: boolean;
}

const HELP = `
Puts the drifted fields back to the desired object (through the agent: as the agent compared it, at
the record's commit; with --local: from --repo) with a server-side apply as field manager
driftguard-revert, using your kubeconfig. Only the drifted fields (what diff shows) are sent, in the
server's spelling, and the revert takes them over from whoever changed them (kubectl scale, kubectl
edit...); every other field and its manager stay as they are. A missing object is created whole.
A conflict on any other field stops it unless --force-conflicts; fields the cluster added that Git
does not set are removed only with --prune-fields. Refuses when the record's
commit is not the one the agent holds now, and when you lack the RBAC permission (it says which).

Exit codes: 0 reverted (or nothing to revert), 1 not confirmed, 2 error.`;

export function registerRevert(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('revert')
    .argument('<resource>', 'KIND/NAME (e.g. deployment/web, with -n) or a resource id')
    .description('put a drifted resource back to what Git declares (server-side apply with your kubeconfig)')
    .addOption(
      new Option('--dry-run <mode>', 'server: let the API server check the revert without persisting it')
        .choices(['none', 'server'])
        .default('none'),
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force-conflicts', 'take over fields other field managers own')
    .option('--prune-fields', 'also remove fields set in the cluster that Git does not set')
    .option('--local', 'revert from a repository, without the agent')
    .option('--repo <path|url>', 'repository with the desired manifests (--local)')
    .option('--branch <branch>', 'branch to read (--local)')
    .option('--path <dir>', 'subdirectory of the repository holding the manifests (--local)')
    .addOption(actingClusterOption())
    .addHelpText('after', HELP)
    .action(async (resource: string, opts: RevertFlags, cmd: Command) => {
      const flags = globalFlags(cmd);
      checkLocalFlags(opts, 'revert');
      noClusterWithLocal(opts);
      const kc = loadKubeConfig(flags);
      const ns = namespaceFilter(flags);
      let source: PlanSource;
      if (opts.local) {
        const found = await repoPlans(kc, opts, resource, ns);
        if (found.errors.length > 0)
          throw new CliError(`the repository does not parse, refusing to revert: ${found.errors[0] ?? ''}`);
        source = found.sources[0] as PlanSource;
      } else
        source = (
          await withAgent(flags, io, async (c) => {
            await checkActingCluster(c, opts.cluster, resource, 'revert', flags);
            return agentPlans(c, resource, ns);
          })
        )[0] as PlanSource;
      const prepared = await prepareRevert(kc, source);
      if (prepared.inSync) {
        out(io, `${source.plan.resource_id} matches Git: nothing to revert\n`);
        setExit(EXIT_OK);
        return;
      }
      out(io, planDiff(source.plan, stdoutColors(io)));
      const note = pruneNote(source.plan, opts.pruneFields === true);
      if (note) warn(io, note);
      const dryRun = opts.dryRun === 'server';
      warn(io, `revert ${revertSummary(source.plan)}`);
      if (!opts.yes) {
        const ok = await confirm(
          io,
          `Revert ${prepared.at.display}/${source.plan.name}${dryRun ? ' (server dry run)' : ''} to what Git declares? [y/N] `,
        );
        if (!ok) {
          warn(io, 'not reverted');
          setExit(EXIT_DRIFT);
          return;
        }
      }
      out(
        io,
        await executeRevert(kc, prepared, {
          dryRun,
          force: opts.forceConflicts === true,
          prune: opts.pruneFields === true,
        }),
      );
      setExit(EXIT_OK);
    });
}
