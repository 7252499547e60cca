// The store contract on the MongoDB store against a real MongoDB-wire server (FerretDB v1 from the
// harness): one server for the suite, a new database per test.
import { after, before } from 'node:test';
import { MongoClient } from 'mongodb';
import { startFerretDB, type FerretDB } from '../../test/cluster/ferretdb.ts';
import { storeContract } from '../../test/kit/store-contract.ts';
import { MongoStore } from './mongo.ts';

let server: FerretDB | undefined;
before(async () => {
  server = await startFerretDB();
});
after(async () => {
  await server?.stop();
});

let n = 0;
storeContract('mongodb (FerretDB)', async () => {
  if (!server) throw new Error('FerretDB did not start');
  const uri = server.uri;
  const name = `contract_${process.pid}_${n++}`;
  return {
    async open(cluster?: string) {
      const store = new MongoStore({ uri, name, connectTimeoutMs: 5000, ...(cluster ? { cluster } : {}) });
      await store.init();
      return store;
    },
    async cleanup() {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
});
