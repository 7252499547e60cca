// The agent's command line, read with node:util's parseArgs (the plugin uses commander; the agent
// has three options and no subcommands, so the standard library is enough).
import { parseArgs as parseArgv } from 'node:util';

export const USAGE = `Usage: driftguard-agent [--config FILE]

Watches a Kubernetes cluster, compares it with the manifests in Git and records drift.

Options:
  -c, --config FILE   YAML config file (see agent/config.example.yaml); every key can also be
                      set with DRIFTGUARD_<SECTION>_<KEY>, e.g. DRIFTGUARD_SERVER_PORT=9090
  -h, --help          show this help
  -v, --version       print the version
`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type Args =
  | { kind: 'run'; config?: string }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

/** Parsed with node:util's parseArgs; its tokens keep the order, so the first wrong argument is named. */
export function parseArgs(argv: string[]): Args {
  const { tokens } = parseArgv({
    args: argv,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let config: string | undefined;
  for (const token of tokens) {
    const unknown: Args = { kind: 'error', message: `unknown argument ${JSON.stringify(argv[token.index])}` };
    if (token.kind !== 'option') return unknown;
    if (token.name === 'config') {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
        return { kind: 'error', message: `${token.rawName} needs a file name` };
      config = token.value;
    } else if (token.value !== undefined || !(token.name === 'help' || token.name === 'version'))
      return unknown;
    else return { kind: token.name };
  }
  return config === undefined ? { kind: 'run' } : { kind: 'run', config };
}
