import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MongoStore, SqliteStore, openStore } from './index.ts';

describe('openStore', () => {
  it('opens the embedded store for a path and MongoDB for a uri', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftguard-open-'));
    try {
      const embedded = openStore({ path: join(dir, 'db', 'driftguard.db') });
      assert.ok(embedded instanceof SqliteStore);
      await embedded.init();
      assert.equal(await embedded.ping(), true);
      await embedded.close();
      const mongo = openStore({
        uri: 'mongodb://127.0.0.1:1/?directConnection=true',
        name: 'driftguard',
        connectTimeoutMs: 100,
      });
      assert.ok(mongo instanceof MongoStore);
      await mongo.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a configuration with neither uri nor path, and a bad database name', () => {
    assert.throws(
      () => openStore({ name: 'driftguard', connectTimeoutMs: 100 }),
      /database\.uri .* or database\.path/,
    );
    assert.throws(
      () => openStore({ uri: 'mongodb://127.0.0.1:1', name: 'a.b', connectTimeoutMs: 100 }),
      /invalid database name/,
    );
  });

  it('says which file the embedded store could not open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftguard-open-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const store = openStore({ path: join(dir, 'file', 'sub', 'x.db') });
      await assert.rejects(store.init(), /embedded store at .*file\/sub\/x\.db: ENOTDIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
