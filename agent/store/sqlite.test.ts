// The store contract on the embedded store, on a real database file in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../../test/store/contract.ts';
import { SqliteStore } from './sqlite.ts';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-sqlite-'));
  // A nested path proves the directory is created.
  const path = join(dir, 'data', 'nested', 'driftguard.db');
  return {
    async open() {
      const store = new SqliteStore({ path });
      await store.init();
      return store;
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
