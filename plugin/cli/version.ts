// `version`: the plugin's version, and the agent's when it can be reached (a note otherwise).
import type { Command } from 'commander';
import { DriftGuardClient } from '../../shared/api/client.ts';
import { connectAgent } from '../connect/connect.ts';
import { printDocument } from '../output/print.ts';
import { PLUGIN_VERSION } from '../version.ts';
import { EXIT_OK, oneLine } from './errors.ts';
import { out, warn, type Io } from './io.ts';
import { globalFlags, type GlobalFlags } from './options.ts';

type AgentVersion = { version: string; git_commit: string | null };

async function agentVersion(flags: GlobalFlags, io: Io): Promise<AgentVersion | null> {
  try {
    const transport = await connectAgent(flags, io.env, { timeoutMs: 5000 });
    try {
      return await new DriftGuardClient(transport.baseUrl, { timeoutMs: 5000 }).version();
    } finally {
      await transport.close();
    }
  } catch (err) {
    warn(io, `note: agent version unknown: ${oneLine(err)}`);
    return null;
  }
}

export function registerVersion(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('version')
    .description('print the plugin\'s version and the agent\'s')
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = globalFlags(cmd);
      const agent = await agentVersion(flags, io);
      const doc = { plugin: { version: PLUGIN_VERSION }, agent };
      out(io, printDocument(flags.output, doc, () =>
        `Plugin Version: ${PLUGIN_VERSION}\n` + (agent ? `Agent Version: ${agent.version}${agent.git_commit ? ` (${agent.git_commit})` : ''}\n` : '')));
      setExit(EXIT_OK);
    });
}
