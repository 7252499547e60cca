// The API contract suite over the MongoDB store, on a real MongoDB-wire server (FerretDB).
import { MongoStore } from '../../agent/store/mongo.ts';
import { startFerretDB } from '../cluster/ferretdb.ts';
import { serveInProcess } from './in-process.ts';
import { apiSuite } from './suite.ts';

apiSuite('MongoDB store on FerretDB', async () => {
  const db = await startFerretDB();
  // A short server-selection timeout, so an outage is reported well within the request timeout.
  const store = new MongoStore({ uri: db.uri, name: 'driftguard_api_test', connectTimeoutMs: 1500 });
  await store.init();
  return serveInProcess(store, {
    breakStore: () => db.stop(),
    cleanup: async () => {
      await store.close();
      await db.stop();
    },
  });
});
