// The command tree. Global flags live on the root (see options.ts); each command registers itself
// from its own file and reports its exit code through setExit.
import { Command } from 'commander';
import { PLUGIN_VERSION } from '../version.ts';
import { registerAdopt } from './adopt.ts';
import { registerPreview } from './preview.ts';
import { registerAnalyze } from './analyze.ts';
import { registerCompletion } from './completion-cmd.ts';
import { registerDescribe } from './describe.ts';
import { registerDiff } from './diff.ts';
import { registerGet } from './get.ts';
import { CliError } from '../errors.ts';
import type { Io } from './io.ts';
import { addGlobalFlags, globalFlags } from './options.ts';
import { registerRevert } from './revert.ts';
import { registerStatus } from './status.ts';
import { registerUi, runUiCommand } from './ui.ts';
import { registerVersion } from './version.ts';
import { registerUnwaive, registerWaive, registerWaivers } from './waive.ts';
import { registerIgnore } from './ignore.ts';

const EXAMPLES = `
Examples:
  kubectl driftguard analyze --local --repo ./deploy -n shop   compare a repo with the cluster, no agent
  kubectl driftguard status                                   active drifts, through the agent
  kubectl driftguard describe deployment/web -n shop          one resource's diff and history
  kubectl driftguard diff deployment/web -n shop              its drift as a kubectl diff
  kubectl driftguard revert deployment/web -n shop            put it back (asks first)
  kubectl driftguard analyze --exit-code                      analyse now; exit 1 on drift
  kubectl driftguard waive deploy/web -n shop --field spec.replicas --for 7d --reason "load test"
  kubectl driftguard waivers                                  waivers and their state; unwaive ID ends one

Exit codes: 0 in sync or success, 1 drift found (with --exit-code), 2 or more: error.
The agent is reached with --agent-url / DRIFTGUARD_AGENT_URL, otherwise by a port-forward to
the pod labelled app.kubernetes.io/name=driftguard in namespace driftguard.`;

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('kubectl driftguard')
    .description('Find where the cluster no longer matches what Git says it should be.')
    .version(PLUGIN_VERSION, '--version', 'print the plugin version')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  addGlobalFlags(program);
  for (const register of [
    registerStatus,
    registerAnalyze,
    registerGet,
    registerDescribe,
    registerDiff,
    registerRevert,
    registerAdopt,
    registerPreview,
    registerWaive,
    registerUnwaive,
    registerWaivers,
    registerIgnore,
    registerVersion,
    registerUi,
    registerCompletion,
  ]) {
    register(program, io, setExit);
  }
  for (const cmd of program.commands)
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  // Bare `kubectl driftguard`: the browser on a terminal, help otherwise.
  program.allowExcessArguments(true).action(async (_opts: unknown, cmd: Command) => {
    if (cmd.args.length > 0)
      throw new CliError(`unknown command "${cmd.args[0] ?? ''}" (see kubectl driftguard --help)`);
    if (io.stdinIsTTY && io.stdout.isTTY === true) {
      await runUiCommand(globalFlags(cmd), io);
      setExit(0);
    } else {
      io.stdout.write(program.helpInformation());
      setExit(0);
    }
  });
  return program;
}
