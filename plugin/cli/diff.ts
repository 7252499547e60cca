// `diff KIND/NAME` and `diff --all`: the drift of objects as a unified diff in kubectl diff's
// format (`-` as the cluster has it, `+` as Git declares it), only the fields that count as drift,
// Secret values as (redacted). Exit codes as kubectl diff: 0 no differences, 1 differences, 2 error.
import type { Command } from 'commander';
import { checkLocalFlags, agentPlans, repoPlans, type LocalFlags } from '../act/targets.ts';
import { planDiff, pruneNote, type PlanSource } from '../act/revert.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { printDocument } from '../output/print.ts';
import { withAgent } from './agent-client.ts';
import { actingClusterOption, checkActingCluster, noClusterWithLocal } from './acting-cluster.ts';
import { CliError, EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from '../errors.ts';
import { out, stdoutColors, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter } from './options.ts';

interface DiffFlags extends LocalFlags {
  all?: boolean;
  cluster?: string;
}

const HELP = `
Through the agent, each diff is of the desired object the agent compared (at the commit its record
names) against the live object it watches. With --local, of a repository against the cluster.

Exit codes (as kubectl diff):
  0  no differences
  1  differences found
  2  error`;

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .argument('[resource]', 'KIND/NAME (e.g. deployment/web, with -n) or a resource id')
    .description('show the drift of a resource (or every active drift with --all) as a unified diff')
    .option('--all', 'every active drift (with --local: every object of the repository)')
    .option('--local', 'compare a repository with the cluster here, without the agent')
    .option('--repo <path|url>', 'repository with the desired manifests (--local)')
    .option('--branch <branch>', 'branch to read (--local)')
    .option('--path <dir>', 'subdirectory of the repository holding the manifests (--local)')
    .addOption(actingClusterOption())
    .addHelpText('after', HELP)
    .action(async (resource: string | undefined, opts: DiffFlags, cmd: Command) => {
      const flags = globalFlags(cmd);
      if (resource === undefined && !opts.all) throw new CliError('diff needs KIND/NAME or --all');
      if (resource !== undefined && opts.all) throw new CliError('diff takes KIND/NAME or --all, not both');
      checkLocalFlags(opts, 'diff');
      noClusterWithLocal(opts);
      const ns = namespaceFilter(flags);
      let sources: PlanSource[];
      let failed = false;
      if (opts.local) {
        const found = await repoPlans(loadKubeConfig(flags), opts, resource, ns);
        for (const e of found.errors) warn(io, `error: ${e}`);
        for (const w of found.warnings) warn(io, `warning: ${w}`);
        failed = found.errors.length > 0;
        sources = found.sources;
      } else
        sources = await withAgent(flags, io, async (client) => {
          await checkActingCluster(client, opts.cluster, resource ?? 'every active drift', 'diff', flags);
          return agentPlans(client, resource, ns);
        });
      const c = stdoutColors(io);
      const diffs = sources.map((s) => ({ source: s, text: planDiff(s.plan, c) }));
      out(
        io,
        printDocument(
          flags.output,
          { diffs: diffs.filter((d) => d.text !== '').map((d) => d.source.plan) },
          () => diffs.map((d) => d.text).join(''),
        ),
      );
      // On stderr, so stdout stays a diff `patch` can read.
      for (const d of diffs) if (d.text) warn(io, pruneNote(d.source.plan, false));
      if (failed) setExit(EXIT_ERROR);
      else setExit(diffs.some((d) => d.text !== '') ? EXIT_DRIFT : EXIT_OK);
    });
}
