// Chooses the store from configuration: MongoDB when a uri is given, otherwise the embedded store.
import { MongoStore, type MongoStoreConfig } from './mongo.ts';
import { SqliteStore, type SqliteStoreConfig } from './sqlite.ts';
import type { Store } from './store.ts';

export { MongoStore, type MongoStoreConfig } from './mongo.ts';
export { SqliteStore, type SqliteStoreConfig } from './sqlite.ts';
export { ResilientStore, StoreUnavailableError, type ResilientStoreOptions } from './resilient.ts';
export type { RecordPage, RecordQuery, Store } from './store.ts';

export type StoreConfig = (Omit<MongoStoreConfig, 'uri'> & { uri?: string }) | SqliteStoreConfig;

/**
 * A store for the configuration, not yet initialised (call `init()`): MongoDB for
 * `{uri, name, connectTimeoutMs}`, the embedded node:sqlite store for `{path}`.
 * Throws a clear error when neither a uri nor a path is given.
 */
export function openStore(config: StoreConfig): Store {
  const cluster = config.cluster === undefined ? {} : { cluster: config.cluster };
  if ('uri' in config && config.uri)
    return new MongoStore({
      uri: config.uri,
      name: config.name,
      connectTimeoutMs: config.connectTimeoutMs,
      ...cluster,
    });
  if ('path' in config && config.path) return new SqliteStore({ path: config.path, ...cluster });
  throw new Error('database: set database.uri (MongoDB) or database.path (embedded store)');
}
