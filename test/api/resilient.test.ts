// The API contract suite over the store as the agent runs it: the resilient wrapper around the
// MongoDB store on FerretDB. An outage (FerretDB stopped) must answer 503 with the wrapper's message.
import { MongoStore } from '../../agent/store/mongo.ts';
import { ResilientStore } from '../../agent/store/resilient.ts';
import { startFerretDB } from '../cluster/ferretdb.ts';
import { serveInProcess } from './in-process.ts';
import { apiSuite } from './suite.ts';

apiSuite('ResilientStore over MongoDB on FerretDB', async () => {
  const db = await startFerretDB();
  const store = new ResilientStore(
    new MongoStore({ uri: db.uri, name: 'driftguard_api_test', connectTimeoutMs: 1500 }),
    {
      initialBackoffMs: 100,
      maxBackoffMs: 500,
    },
  );
  await store.init();
  return serveInProcess(store, {
    servesCachedRecords: true,
    breakStore: () => db.stop(),
    cleanup: async () => {
      await store.close();
      await db.stop();
    },
  });
});
