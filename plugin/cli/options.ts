// Flags every command accepts. kubectl refuses global flags before a plugin's name, so the plugin
// parses --kubeconfig, --context, -n, -A and -o itself; they are defined once on the root program
// and commander recognises them before and after the subcommand name.
import { Command, Option } from 'commander';
import { ALL_CLUSTERS } from '../../shared/api/query.ts';
import { DNS_LABEL, RECORD_SOURCE_NAME } from '../../shared/types.ts';
import { parseDuration } from '../../shared/units.ts';
import { CliError } from '../errors.ts';
import {
  DEFAULT_AGENT_NAMESPACE,
  DEFAULT_AGENT_PORT,
  DEFAULT_AGENT_SELECTOR,
  OUTPUT_FORMATS,
  type GlobalFlags,
} from '../flags.ts';

export {
  DEFAULT_AGENT_NAMESPACE,
  DEFAULT_AGENT_PORT,
  DEFAULT_AGENT_SELECTOR,
  OUTPUT_FORMATS,
  type GlobalFlags,
  type OutputFormat,
} from '../flags.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new CliError(`--agent-port ${value}: expected a port number 1-65535`);
  return n;
}

/** A request timeout as kubectl writes it ("30s", "2m", "1m30s", "0" for none; a bare number is ms). */
export function requestTimeout(value: string, source = '--request-timeout'): number {
  const ms = parseDuration(value);
  if (ms === null)
    throw new CliError(`${source} ${value}: expected a duration such as 30s, 2m or 0 (no limit)`);
  return ms;
}

export function addGlobalFlags(program: Command): Command {
  return program
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('-A, --all-namespaces', 'all namespaces (the default)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices([...OUTPUT_FORMATS]).default('table'),
    )
    .option(
      '--agent-url <url>',
      'talk to the agent at this URL instead of port-forwarding (env DRIFTGUARD_AGENT_URL)',
    )
    .option('--agent-namespace <ns>', 'namespace of the agent pod', DEFAULT_AGENT_NAMESPACE)
    .option('--agent-selector <selector>', 'label selector of the agent pod', DEFAULT_AGENT_SELECTOR)
    .option('--agent-port <port>', 'API port of the agent pod', port, DEFAULT_AGENT_PORT)
    .option(
      '--request-timeout <duration>',
      'how long to wait for each answer of the agent, e.g. 30s, 2m; 0 waits without limit (default 15s, env DRIFTGUARD_REQUEST_TIMEOUT)',
      (v: string) => requestTimeout(v),
    );
}

export function globalFlags(cmd: Command): GlobalFlags {
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  if (flags.namespace !== undefined && flags.allNamespaces)
    throw new CliError('-n/--namespace and -A/--all-namespaces are mutually exclusive');
  if (flags.namespace === '') throw new CliError('-n/--namespace needs a namespace name');
  if (flags.output === 'markdown' && cmd.name() !== 'preview')
    throw new CliError('-o markdown is for preview only: use table, wide, json or yaml');
  return flags;
}

/** The namespace filter of a command: undefined means all namespaces. */
export function namespaceFilter(flags: GlobalFlags): string | undefined {
  return flags.allNamespaces ? undefined : flags.namespace;
}

/** `--source NAME`: only records of this configured source (the agent's `sources[].name`). */
export function sourceOption(): Option {
  return new Option('--source <name>', "only records of this source (the agent's sources[].name)").argParser(
    (v: string) => {
      if (!RECORD_SOURCE_NAME.test(v))
        throw new CliError(
          `--source ${v}: expected a source name (lowercase letters, digits and -; or argocd/<app>, flux/<ns>/<name>, helm/<ns>/<release>)`,
        );
      return v;
    },
  );
}

/**
 * `--cluster NAME` and `--all-clusters`: records of another cluster, or of every cluster, whose
 * agent writes to the same database as the agent the plugin reaches.
 */
export function addClusterOptions(cmd: Command): Command {
  for (const option of clusterOptions()) cmd.addOption(option);
  return cmd;
}

function clusterOptions(): Option[] {
  return [
    clusterOption("another cluster's records (agents sharing the agent's database)"),
    new Option('--all-clusters', "every cluster's records in the agent's database, with a CLUSTER column"),
  ];
}

/** `--cluster NAME` alone (a command about one record): a DNS label, else a clear error. */
export function clusterOption(description: string): Option {
  return new Option('--cluster <name>', description).argParser((v: string) => {
    if (!DNS_LABEL.test(v)) throw new CliError(`--cluster ${v}: expected a cluster name (a DNS label)`);
    return v;
  });
}

/** The `?cluster=` of `--cluster`/`--all-clusters`: a name, `*`, or undefined (the agent's own). */
export function clusterFilter(opts: { cluster?: string; allClusters?: boolean }): string | undefined {
  if (opts.cluster !== undefined && opts.allClusters)
    throw new CliError('--cluster and --all-clusters are mutually exclusive');
  return opts.allClusters ? ALL_CLUSTERS : opts.cluster;
}
