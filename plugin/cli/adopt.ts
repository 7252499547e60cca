// `adopt RESOURCE`: the other direction of revert. The live values of drifted fields are written into
// the Git source that declares them, in the user's checkout, and left for review (or committed on a
// new branch with --commit/--branch, pushed with --push, all with the user's own Git).
import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { adoptFields, AdoptRefused, type AdoptField } from '../../shared/engine/adopt/plan.ts';
import { PathSyntaxError } from '../../shared/engine/adopt/path-parse.ts';
import { RenderError } from '../../shared/node/render/index.ts';
import { withAgent } from './agent-client.ts';
import { actingClusterOption, checkActingCluster, noClusterWithLocal } from './acting-cluster.ts';
import { CliError, EXIT_OK } from '../errors.ts';
import { out, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter } from './options.ts';
import { contextNamespace, loadKubeConfig } from '../kube/config.ts';
import { isRepoUrl } from '../local/repo.ts';
import { unifiedHunks } from '../output/unified-diff.ts';
import { commitOnBranch, defaultBranch, push } from '../adopt/git.ts';
import { commitMessage, fieldLine } from '../adopt/message.ts';
import { writePlan, type AdoptPlan } from '../adopt/write.ts';
import { agentTarget, localTarget, type AdoptTarget, type LocalSource } from '../adopt/target.ts';
import { verifyAdopted } from '../adopt/verify.ts';

export interface AdoptFlags {
  cluster?: string;
  field: string[];
  repo?: string;
  local?: boolean;
  path?: string;
  commit?: boolean;
  branch?: string;
  push?: boolean;
  to?: 'base' | 'overlay';
  values?: string;
  release?: string;
  dryRun?: boolean;
}

const HELP = `
Writes the live values of the drifted fields (all of them, or those --field names) into the file
that declares the object, in your checkout (--repo, default the current directory), keeping the
file's comments, key order, quoting and indentation. A field the cluster removed is removed; a
field only the cluster has (a hand-added env var or label) is added. Secret values are never written.

Without --local the agent's record says which fields drifted and which file declares the object;
with --local the drift is computed from the checkout and the cluster (as analyze --local does),
and Kustomize overlays and Helm charts are followed to where a human would write the value:
  Kustomize: the overlay's images: or replicas:, else a patch file in the overlay (--to base
             writes the base's file instead when both are possible)
  Helm:      the values file given with --values, when a values key produces the field; otherwise
             the template that produces it is named and the patch printed

Then review it (git diff) and commit, or let adopt do it: --commit (or --branch NAME) makes a
commit on a new branch whose message names the resource, the fields, old and new values and who
changed them live; --push pushes that branch with your own Git credentials.

Exit codes: 0 adopted (or nothing to adopt), 2 error.`;

function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

export function registerAdopt(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('adopt')
    .argument('<resource>', 'KIND/NAME (e.g. deployment/web, with -n) or a resource id')
    .description('write the live values of drifted fields into the Git source that declares them')
    .option('--field <path>', 'only this drifted field, e.g. spec.replicas (repeatable)', collect, [])
    .option('--repo <dir>', 'your checkout of the repository (default: the current directory)')
    .option('--local', 'compute the drift here from --repo and the cluster, without the agent')
    .option('--path <dir>', 'subdirectory of the repository holding the manifests (--local)')
    .option('--commit', 'commit the change on a new branch')
    .option(
      '--branch <name>',
      'name of that branch (implies --commit; default driftguard/adopt-KIND-NS-NAME)',
    )
    .option('--push', 'push the branch with your Git credentials (implies --commit)')
    .addOption(
      new Option('--to <where>', 'Kustomize: write into the base or the overlay').choices([
        'base',
        'overlay',
      ]),
    )
    .option('--values <file>', 'Helm: the values file to write (relative to the chart; also rendered with)')
    .option('--release <name>', "Helm: release name (--local; default the chart's name)")
    .option('--dry-run', 'print what would change, write nothing')
    .addOption(actingClusterOption())
    .addHelpText('after', HELP)
    .action(async (resource: string, opts: AdoptFlags, cmd: Command) => {
      const flags = globalFlags(cmd);
      setExit(await runAdopt(resource, opts, flags, io));
    });
}

async function runAdopt(
  resource: string,
  opts: AdoptFlags,
  flags: ReturnType<typeof globalFlags>,
  io: Io,
): Promise<number> {
  const repo = opts.repo ?? '.';
  if (isRepoUrl(repo))
    throw new CliError(`--repo ${repo}: adopt writes into a checkout; clone it and pass its directory`);
  if (opts.path && !opts.local) throw new CliError('--path needs --local');
  noClusterWithLocal(opts);
  const repoDir = resolve(repo);
  const kc = loadKubeConfig(flags);
  const ns = namespaceFilter(flags);
  const defaultNamespace = ns ?? contextNamespace(kc);
  const src: LocalSource = {
    repo: repoDir,
    path: opts.path,
    namespace: ns,
    defaultNamespace,
    helm: {
      values_files: opts.values ? [opts.values] : [],
      ...(opts.release ? { release: opts.release } : {}),
    },
  };
  let target: AdoptTarget;
  try {
    target = opts.local
      ? await localTarget(kc, src, resource)
      : await withAgent(flags, io, async (c) => {
          await checkActingCluster(c, opts.cluster, resource, 'adopt', flags);
          return agentTarget(c, resource, ns, defaultNamespace);
        });
  } catch (err) {
    if (err instanceof RenderError) throw new CliError(`render failed: ${err.message}`);
    throw err;
  }
  const display = `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`;
  if (target.details.length === 0) {
    out(io, `${target.id} matches Git: nothing to adopt\n`);
    return EXIT_OK;
  }
  let fields: AdoptField[];
  try {
    fields = adoptFields(target.kind, target.id, target.details, opts.field);
  } catch (err) {
    if (err instanceof AdoptRefused || err instanceof PathSyntaxError) throw new CliError(err.message);
    throw err;
  }
  const plan: AdoptPlan = await writePlan(repoDir, target, fields, opts, src);
  for (const note of plan.notes) warn(io, note);
  const changed = plan.written.filter((w) => w.after !== w.before);
  for (const w of changed) {
    out(io, `--- a/${w.file}\n+++ b/${w.file}\n`);
    out(io, `${unifiedHunks(w.before.split('\n'), w.after.split('\n')).join('\n')}\n`);
  }
  if (opts.dryRun || changed.length === 0) {
    out(io, changed.length === 0 ? `nothing written for ${display}\n` : '(dry run: nothing written)\n');
    return EXIT_OK;
  }
  plan.apply();
  const where = changed.map((w) => (w.document ? `${w.file} (document ${w.document})` : w.file)).join(', ');
  out(
    io,
    `adopted ${fields.length} field(s) of ${display} into ${where}:\n${fields.map((f) => `  ${fieldLine(f)}\n`).join('')}`,
  );
  if (opts.local) {
    const still = await verifyAdopted(kc, src, resource, fields);
    if (still.length > 0)
      warn(io, `warning: after the edit these fields still differ from the cluster: ${still.join(', ')}`);
  }
  if (opts.commit || opts.branch || opts.push) {
    const branch = opts.branch ?? defaultBranch(target.kind, target.namespace, target.name);
    const files = changed.map((w) => w.file);
    const sha = await commitOnBranch(repoDir, branch, files, commitMessage({ display, fields, files }));
    out(io, `committed ${sha.slice(0, 12)} on new branch ${branch}\n`);
    if (opts.push) out(io, `pushed ${branch} to ${await push(repoDir, branch)}\n`);
  } else out(io, 'review with git diff, then commit (or run adopt with --commit)\n');
  return EXIT_OK;
}
