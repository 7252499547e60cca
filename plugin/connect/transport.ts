// How the plugin reaches the agent's HTTP API. A direct URL and a port-forward look the same to
// the commands: a base URL to talk to, and something to close when done.

export interface AgentTransport {
  baseUrl: string;
  close(): Promise<void>;
}

export function directTransport(url: string): AgentTransport {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--agent-url ${url}: not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`--agent-url ${url}: only http:// and https:// are supported`);
  return { baseUrl: url.replace(/\/+$/, ''), close: async () => undefined };
}
