// `analyze`: with --local, compare a repository with the cluster right here; without it, ask the
// agent to run an analysis now and show the active drifts once it is done.
import type { Command } from 'commander';
import { allPages } from '../../shared/api/client.ts';
import type { DriftResult } from '../../shared/types.ts';
import { loadKubeConfig, contextNamespace } from '../kube/config.ts';
import { analyzeLocal } from '../local/analyze-local.ts';
import { renderLocalReport } from '../output/local-report.ts';
import { printDocument } from '../output/print.ts';
import { progress } from '../output/progress.ts';
import { renderDriftTable } from '../output/drift-rows.ts';
import { withAgent } from './agent-client.ts';
import { CliError, EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from './errors.ts';
import { out, stdoutColors, warn, type Io } from './io.ts';
import { globalFlags, namespaceFilter, type GlobalFlags } from './options.ts';

interface AnalyzeFlags {
  local?: boolean;
  repo?: string;
  branch?: string;
  path?: string;
  exitCode?: boolean;
  wait: boolean;
  timeout: number;
}

const HELP = `
Without --local, asks the agent to analyse now and prints the active drifts when it is done.
With --local, reads the manifests of --repo (a directory, or a Git URL cloned to a temp dir),
reads the matching live objects with your kubeconfig, and prints the drift; nothing is stored.
Manifests without a namespace get -n's namespace, else the context's; -n also restricts the
analysis to that namespace. Default: every object in the repository.

Exit codes (as kubectl diff):
  0  no drift (or drift without --exit-code)
  1  drift found and --exit-code given
  2  error. With --local, a manifest that cannot be parsed is printed on stderr as
     "error: <file>:<line>: <message>", the rest is still analysed and printed, and the exit
     code is 2 even when drift was found: a partial analysis cannot vouch for the repository.`;

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
    .option('--exit-code', 'exit 1 when drift is found')
    .option('--no-wait', 'start the analysis on the agent and return at once')
    .option('--timeout <seconds>', "how long to wait for the agent's analysis", seconds, 300)
    .addHelpText('after', HELP)
    .action(async (opts: AnalyzeFlags, cmd: Command) => {
      const flags = globalFlags(cmd);
      if (opts.local) setExit(await runLocal(flags, opts, io));
      else {
        if (opts.repo || opts.branch || opts.path)
          throw new CliError('--repo, --branch and --path need --local');
        setExit(await runOnAgent(flags, opts, io));
      }
    });
}

async function runLocal(flags: GlobalFlags, opts: AnalyzeFlags, io: Io): Promise<number> {
  if (!opts.repo) throw new CliError('analyze --local needs --repo PATH|URL');
  const kc = loadKubeConfig(flags);
  const ns = namespaceFilter(flags);
  const analysis = await analyzeLocal(kc, {
    repo: opts.repo,
    branch: opts.branch,
    path: opts.path,
    namespace: ns,
    defaultNamespace: ns ?? contextNamespace(kc),
  });
  for (const e of analysis.errors)
    warn(io, `error: ${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}`);
  for (const w of analysis.warnings) warn(io, `warning: ${w}`);
  const doc = { drift_records: analysis.results, count: analysis.results.length };
  out(
    io,
    printDocument(flags.output, doc, (wide) => renderLocalReport(analysis.results, wide, stdoutColors(io))),
  );
  if (analysis.errors.length > 0) return EXIT_ERROR;
  return opts.exitCode && analysis.results.some((r: DriftResult) => r.drift_detected) ? EXIT_DRIFT : EXIT_OK;
}

async function runOnAgent(flags: GlobalFlags, opts: AnalyzeFlags, io: Io): Promise<number> {
  return withAgent(flags, io, async (client) => {
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
    const active = await allPages((f) => client.active(f), ns ? { namespace: ns } : {});
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
