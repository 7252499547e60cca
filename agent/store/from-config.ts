// The store the config asks for: MongoDB when a database URI or host is configured, else the
// embedded store on disk.
import { resolve } from 'node:path';
import type { AgentConfig } from '../config/schema.ts';
import { openStore } from './index.ts';
import type { Store } from './store.ts';

/** The MongoDB URI of the config (database.uri, else database.host and port); undefined: embedded. */
export function mongoUri(config: AgentConfig): string | undefined {
  if (config.database.uri) return config.database.uri;
  if (config.database.host) return `mongodb://${config.database.host}:${config.database.port}/`;
  return undefined;
}

export function storeFromConfig(config: AgentConfig): Store {
  const uri = mongoUri(config);
  const cluster = config.kubernetes.cluster;
  if (uri)
    return openStore({
      uri,
      name: config.database.name,
      connectTimeoutMs: config.database.connect_timeout,
      cluster,
    });
  return openStore({ path: resolve(config.database.path), cluster });
}
