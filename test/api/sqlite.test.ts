// The API contract suite over the embedded store, on a real database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../agent/store/sqlite.ts';
import { serveInProcess } from './in-process.ts';
import { apiSuite } from './suite.ts';

apiSuite('embedded sqlite store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-api-'));
  const store = new SqliteStore({ path: join(dir, 'driftguard.db') });
  await store.init();
  return serveInProcess(store, {
    // A closed database is what an unreadable or vanished store looks like to the API.
    breakStore: () => store.close(),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
