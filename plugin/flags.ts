// The flags every command accepts, as the commands and the parts below them (connect, output)
// read them; cli/options.ts defines them on the program.
/** markdown: `preview` only (a pull-request comment); the other commands refuse it. */
export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  output: OutputFormat;
  agentUrl?: string;
  agentNamespace: string;
  agentSelector: string;
  agentPort: number;
  /** --request-timeout in ms (0: no limit); absent: $DRIFTGUARD_REQUEST_TIMEOUT, then the client's 15 s. */
  requestTimeout?: number;
}

export const DEFAULT_AGENT_NAMESPACE = 'driftguard';
export const DEFAULT_AGENT_SELECTOR = 'app.kubernetes.io/name=driftguard';
export const DEFAULT_AGENT_PORT = 8080;
