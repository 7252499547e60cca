// `version`: the plugin's version, and the agent's when it can be reached (a note otherwise).
import type { Command } from 'commander';
import { withClient } from '../connect/connect.ts';
import { requestTimeoutMs } from './agent-client.ts';
import { printDocument } from '../output/print.ts';
import { PLUGIN_VERSION } from '../version.ts';
import { EXIT_OK, oneLine } from '../errors.ts';
import { out, warn, type Io } from './io.ts';
import { globalFlags, type GlobalFlags } from './options.ts';

type AgentVersion = { version: string; git_commit: string | null };

async function agentVersion(flags: GlobalFlags, io: Io): Promise<AgentVersion | null> {
  try {
    return await withClient(
      flags,
      io.env,
      { timeoutMs: 5000, requestTimeoutMs: requestTimeoutMs(flags, io.env) ?? 5000 },
      (client) => client.version(),
    );
  } catch (err) {
    warn(io, `note: agent version unknown: ${oneLine(err)}`);
    return null;
  }
}

export function registerVersion(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('version')
    .description("print the plugin's version and the agent's")
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = globalFlags(cmd);
      const agent = await agentVersion(flags, io);
      const doc = { plugin: { version: PLUGIN_VERSION }, agent };
      out(
        io,
        printDocument(
          flags.output,
          doc,
          () =>
            `Plugin Version: ${PLUGIN_VERSION}\n` +
            (agent
              ? `Agent Version: ${agent.version}${agent.git_commit ? ` (${agent.git_commit})` : ''}\n`
              : ''),
        ),
      );
      setExit(EXIT_OK);
    });
}
