// One FerretDB (the harness's MongoDB-wire server) for a test file's store tests: started before
// its tests, stopped after them, with MongoStores on databases of it and a new database name per
// case. Call it inside the file's describe().
import { after, before } from 'node:test';
import { MongoStore } from '../../agent/store/mongo.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';

export interface FerretStores {
  /** A store on database `name` (not yet init()ed). */
  open(name: string): MongoStore;
  /** A database name no other case of this process uses: `<prefix>_<pid>_<n>`. */
  database(prefix: string): string;
  /** The server's URI, for a raw client. */
  uri(): string;
}

export function ferretStores(): FerretStores {
  let server: FerretDB | undefined;
  let n = 0;
  before(async () => {
    server = await startFerretDB();
  });
  after(async () => {
    await server?.stop();
  });
  const running = (): FerretDB => {
    if (!server) throw new Error('FerretDB did not start');
    return server;
  };
  return {
    open: (name) => new MongoStore({ uri: running().uri, name, connectTimeoutMs: 5000 }),
    database: (prefix) => `${prefix}_${process.pid}_${n++}`,
    uri: () => running().uri,
  };
}
