// Seeds 10,000 records into the embedded store and pages through them as the API would. Prints
// figures (no timing assertions); asserts the seed's mixture and that paging sees every record.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedRecords } from '../kit/store-seed.ts';
import { SqliteStore } from '../../agent/store/sqlite.ts';

describe('embedded store with 10,000 records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bench-'));
  const store = new SqliteStore({ path: join(dir, 'bench.db') });
  before(async () => {
    await store.init();
    const t0 = performance.now();
    await seedRecords(store, 10_000);
    console.log(`seed 10,000 records: ${(performance.now() - t0).toFixed(0)} ms`);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds a realistic mixture', async () => {
    const all = await store.allRecords();
    assert.equal(all.length, 10_000);
    const by = (s: string): number => all.filter((r) => r.drift_status === s).length;
    assert.equal(by('none'), 6000);
    assert.equal(by('active'), 2500);
    assert.equal(by('resolved'), 1500);
    assert.ok(new Set(all.map((r) => r.namespace)).size >= 5);
    assert.ok(new Set(all.map((r) => r.kind)).size >= 5);
    assert.deepEqual(
      new Set(all.filter((r) => r.severity).map((r) => r.severity)),
      new Set(['low', 'medium', 'high']),
    );
    assert.equal((await store.eventsSince('2000-01-01T00:00:00.000Z')).length, 2500 + 1500 * 2);
  });

  it('pages through every record 100 at a time, filtered and unfiltered', async () => {
    for (const query of [
      {},
      { drift_status: 'active' as const },
      { namespace: 'shop', drift_detected: true },
    ]) {
      const t0 = performance.now();
      let seen = 0;
      let pages = 0;
      let count: number | undefined;
      for (let offset = 0; ; offset += 100) {
        const page = await store.listRecords({ ...query, limit: 100, offset });
        count = page.count;
        if (page.records.length === 0) break;
        seen += page.records.length;
        pages++;
      }
      assert.equal(seen, count);
      const ms = performance.now() - t0;
      console.log(
        `page ${JSON.stringify(query)}: ${pages} pages of ≤100 (${count} records) in ${ms.toFixed(0)} ms, ${(ms / Math.max(1, pages)).toFixed(2)} ms/page`,
      );
    }
  });
});
