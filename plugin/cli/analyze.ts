// `analyze`: with --local, compare a repository with the cluster right here; without it, ask the
// agent to run an analysis now and show the active drifts once it is done.
import { localDependencyFetcher } from '../local/chart-repositories.ts';
import type { Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import type { DriftResult } from '../../shared/types.ts';
import { loadKubeConfig, contextNamespace } from '../kube/config.ts';
import { RenderError, SOURCE_TYPES, type SourceType } from '../../shared/node/render/index.ts';
import { analyzeLocal, type LocalAnalysis } from '../local/analyze-local.ts';
import { renderLocalReport } from '../output/local-report.ts';
import { printDocument } from '../output/print.ts';
import { progress } from '../output/progress.ts';
import { renderDriftTable } from '../output/drift-rows.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from '../errors.ts';
import { out, stdoutColors, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter, sourceOption, type GlobalFlags } from './options.ts';
import { requireTrackedNamespace } from './tracked.ts';

interface AnalyzeFlags {
  local?: boolean;
  repo?: string;
  branch?: string;
  path?: string;
  type?: SourceType;
  helmValues: string[];
  helmSet: Record<string, string>;
  release?: string;
  source?: string;
  exitCode?: boolean;
  wait: boolean;
  timeout: number;
  confirm: boolean;
  config?: string;
}

const HELP = `
Without --local, asks the agent to analyse now and prints the active drifts when it is done.
With --local, reads the manifests of --repo (a directory, or a Git URL cloned to a temp dir),
reads the matching live objects with your kubeconfig, and prints the drift; nothing is stored.
Manifests without a namespace get -n's namespace, else the context's; -n also restricts the
analysis to that namespace. Default: every object in the repository.

The type of --path (default the repository root) is detected there, as the agent does: a
kustomization.yaml (or .yml, Kustomization) is rendered with \`kustomize build\` (\`kubectl kustomize\`
when no kustomize is on PATH), a Chart.yaml with \`helm template\` (release --release, default the
chart's name; namespace -n), anything else is read as plain manifests; --type forces one. Values
files (--helm-values, relative to the chart) must lie inside the repository. Helm hooks and test
pods are not compared. The tool and version used are printed on stderr.

Where the comparison suspects drift, --local asks the API server (a dry-run create of the desired
object, with your credentials, as kubectl diff does) what the object becomes there: a difference
that admission or the server explains (a mirror's image prefix, injected sidecars, default limits)
is not drift. --confirm=false skips it. stderr says how many objects were confirmed and how many
requests were sent; a refused dry-run leaves the drift with "confirmed": false and the reason.
A chart's dependencies not vendored in charts/ are fetched as the agent fetches them, from the
render.helm.repositories of the agent's config given with --config FILE (credentials from the
Secrets it names, read with your kubeconfig; archives verified and kept by sha256 in
$XDG_CACHE_HOME/driftguard/helm-charts); a dependency from any other repository is refused.

Exit codes (as kubectl diff):
  0  no drift (or drift without --exit-code)
  1  drift found and --exit-code given
  2  error. With --local, a manifest that cannot be parsed is printed on stderr as
     "error: <file>:<line>: <message>", the rest is still analysed and printed, and the exit
     code is 2 even when drift was found: a partial analysis cannot vouch for the repository.
     A render that fails (kustomize or helm error, a refused symlink or values file, a remote
     base, the 90 s limit) prints "error: render failed: …" and nothing else.`;

function sourceType(v: string): SourceType {
  if (!(SOURCE_TYPES as readonly string[]).includes(v))
    throw new CliError(`--type ${v}: expected one of ${SOURCE_TYPES.join(', ')}`);
  return v as SourceType;
}

function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

function keyValue(v: string, previous: Record<string, string>): Record<string, string> {
  const at = v.indexOf('=');
  if (at <= 0) throw new CliError(`--helm-set ${v}: expected key=value`);
  return { ...previous, [v.slice(0, at)]: v.slice(at + 1) };
}

function boolean(flag: string): (v: string) => boolean {
  return (v) => {
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new CliError(`--${flag} ${v}: expected true or false`);
  };
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`--timeout ${v}: expected a positive number of seconds`);
  return n;
}

export function registerAnalyze(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .description('analyse drift now (through the agent, or locally with --local)')
    .option('--local', 'analyse here, from a repository, without the agent')
    .option('--repo <path|url>', 'repository with the desired manifests (--local)')
    .option('--branch <branch>', 'branch to read (--local; clones the repository)')
    .option('--path <dir>', 'subdirectory of the repository holding the manifests (--local)')
    .option('--type <type>', `how to read --path: ${SOURCE_TYPES.join(', ')} (--local)`, sourceType)
    .option('--helm-values <file>', 'values file for helm, repeatable (--local)', collect, [])
    .option('--helm-set <key=value>', 'value for helm, repeatable (--local)', keyValue, {})
    .option('--release <name>', "helm release name (--local; default the chart's name)")
    .option(
      '--confirm [true|false]',
      'confirm suspected drift with a server dry-run of the desired object (--local)',
      boolean('confirm'),
      true,
    )
    .option(
      '--config <file>',
      "the agent's config file: chart dependencies are fetched from its render.helm.repositories, as the agent does (--local)",
    )
    .addOption(sourceOption())
    .option('--exit-code', 'exit 1 when drift is found')
    .option('--no-wait', 'start the analysis on the agent and return at once')
    .option('--timeout <seconds>', "how long to wait for the agent's analysis", seconds, 300)
    .addHelpText('after', HELP)
    .action(async (opts: AnalyzeFlags, cmd: Command) => {
      const flags = globalFlags(cmd);
      if (opts.local) {
        if (opts.source)
          throw new CliError('--source selects records on the agent; it does not go with --local');
        setExit(await runLocal(flags, opts, io));
      } else {
        if (
          opts.repo ||
          opts.branch ||
          opts.path ||
          opts.type ||
          opts.release ||
          opts.config ||
          opts.helmValues.length > 0 ||
          Object.keys(opts.helmSet).length > 0
        )
          throw new CliError(
            '--repo, --branch, --path, --type, --helm-values, --helm-set, --release and --config need --local',
          );
        setExit(await runOnAgent(flags, opts, io));
      }
    });
}

async function runLocal(flags: GlobalFlags, opts: AnalyzeFlags, io: Io): Promise<number> {
  if (!opts.repo) throw new CliError('analyze --local needs --repo PATH|URL');
  const kc = loadKubeConfig(flags);
  const ns = namespaceFilter(flags);
  let analysis: LocalAnalysis;
  try {
    analysis = await analyzeLocal(kc, {
      repo: opts.repo,
      branch: opts.branch,
      path: opts.path,
      namespace: ns,
      defaultNamespace: ns ?? contextNamespace(kc),
      type: opts.type,
      helm: {
        values_files: opts.helmValues,
        set: opts.helmSet,
        ...(opts.release ? { release: opts.release } : {}),
      },
      confirm: opts.confirm,
      dependencies: opts.config ? localDependencyFetcher(opts.config, kc) : undefined,
    });
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    // The path checks speak of the flag the user typed.
    if (err.stage === 'path') throw new CliError(`--${err.message}`);
    // A refused dependency: here the list of repositories comes from the agent's config.
    const hint =
      err.stage === 'safety' && !opts.config && /not in render\.helm\.repositories/.test(err.message)
        ? "; analyze --local fetches dependencies from the render.helm.repositories of the agent's config given with --config FILE"
        : '';
    throw new CliError(`render failed: ${err.message}${hint}`);
  }
  requireSomething(analysis, opts, ns);
  const r = analysis.render;
  if (r.tool)
    warn(
      io,
      `rendered ${opts.path ?? '.'} (${r.type}) with ${r.tool} in ${(r.durationMs / 1000).toFixed(1)}s: ${analysis.objects} objects${r.skipped.length ? `, ${r.skipped.length} skipped (${r.skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')})` : ''}`,
    );
  for (const e of analysis.errors)
    warn(io, `error: ${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}`);
  for (const w of analysis.warnings) warn(io, `warning: ${w}`);
  for (const u of r.unstable)
    warn(
      io,
      `unstable: ${u.kind}/${u.namespace ? `${u.namespace}/` : ''}${u.name} ${u.path} (differs on each render; not compared)`,
    );
  const c = analysis.confirm;
  warn(
    io,
    c.enabled
      ? `confirm: ${c.confirmed} object${c.confirmed === 1 ? '' : 's'} confirmed with the API server, ${c.requests} dry-run request${c.requests === 1 ? '' : 's'} sent`
      : 'confirm: off (--confirm=false): drift is the normalised comparison alone, 0 dry-run requests sent',
  );
  const doc = {
    drift_records: analysis.results,
    count: analysis.results.length,
    // Groups the cluster could not read: their objects are neither in sync nor Missing.
    ...(analysis.unreadable.length > 0
      ? {
          unreadable: analysis.unreadable.map((u) => ({
            api_version: u.apiVersion,
            kinds: u.kinds,
            reason: u.reason,
            resource_ids: u.ids,
          })),
        }
      : {}),
  };
  out(
    io,
    printDocument(flags.output, doc, (wide) => renderLocalReport(analysis.results, wide, stdoutColors(io))),
  );
  if (analysis.errors.length > 0) return EXIT_ERROR;
  return opts.exitCode && analysis.results.some((r: DriftResult) => r.drift_detected) ? EXIT_DRIFT : EXIT_OK;
}

/**
 * An empty comparison is an error, never "in sync": a typo in --repo or --path, an empty directory
 * or a namespace the repository has nothing in would otherwise pass CI with exit 0.
 */
function requireSomething(analysis: LocalAnalysis, opts: AnalyzeFlags, ns: string | undefined): void {
  if (analysis.errors.length > 0 || analysis.results.length > 0) return;
  const where = `${opts.repo ?? '.'}${opts.path ? ` --path ${opts.path}` : ''}`;
  if (analysis.objects === 0)
    throw new CliError(
      `no manifests found in ${where}: nothing to compare with the cluster (check --repo and --path)`,
    );
  throw new CliError(
    `${where} declares nothing in namespace ${ns ?? '?'} (${analysis.objects} objects in other namespaces): nothing to compare`,
  );
}

async function runOnAgent(flags: GlobalFlags, opts: AnalyzeFlags, io: Io): Promise<number> {
  return withAgent(flags, io, async (client) => {
    // Checked first: an analysis cannot make an untracked namespace tracked.
    await requireTrackedNamespace(client, namespaceFilter(flags));
    const started = await client.analyze();
    if (!opts.wait) {
      out(
        io,
        printDocument(flags.output, started, () => `analysis ${started.analysis_id} ${started.status}\n`),
      );
      return EXIT_OK;
    }
    const p = progress(io.stderr, `analysis ${started.analysis_id} running…`);
    let final;
    try {
      final = await client.waitForAnalysis(started.analysis_id, {
        intervalMs: 300,
        timeoutMs: opts.timeout * 1000,
        onProgress: (s) =>
          p.update(`analysis ${s.analysis_id} ${s.status}: ${s.resources} resources checked`),
      });
    } finally {
      p.done();
    }
    if (final.status === 'failed')
      throw new CliError(`analysis ${final.analysis_id} failed: ${final.error ?? 'no reason given'}`);
    const took = final.finished_at
      ? ((Date.parse(final.finished_at) - Date.parse(final.started_at)) / 1000).toFixed(1)
      : '?';
    warn(
      io,
      `analysis ${final.analysis_id} completed in ${took}s: ${final.resources} resources, ${final.drifted} drifted (${final.detected} new, ${final.resolved} resolved)`,
    );
    const ns = namespaceFilter(flags);
    const active = await allPages((f) => client.active(f), {
      ...(ns ? { namespace: ns } : {}),
      ...(opts.source ? { source: opts.source } : {}),
    });
    out(
      io,
      printDocument(flags.output, active, (wide) =>
        active.drift_records.length
          ? renderDriftTable(active.drift_records, { wide, withAge: true, colors: stdoutColors(io) })
          : 'No active drift\n',
      ),
    );
    return opts.exitCode && active.drift_records.length > 0 ? EXIT_DRIFT : EXIT_OK;
  });
}
