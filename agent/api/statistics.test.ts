// GET /api/v1/statistics memoised per store revision: between writes a call reads nothing from the
// database; every write (record, event, last analysis) shows in the next answer. On the real
// embedded store behind the ResilientStore, as the agent runs it, served over HTTP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Statistics } from '../../shared/types.ts';
import { serveInProcess } from '../../test/api/in-process.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { transition } from '../records/lifecycle.ts';
import { ResilientStore } from '../store/resilient.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/store.ts';

/** Counts every read that reaches the database. */
function counting(store: Store): { store: Store; reads: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.allRecords = async () => (n++, store.allRecords());
  wrapped.eventsSince = async (t) => (n++, store.eventsSince(t));
  wrapped.lastAnalysis = async () => (n++, store.lastAnalysis());
  return { store: wrapped, reads: () => n };
}

describe('statistics memo', () => {
  it('answers from the memo between writes and from fresh reads after each write', async () => {
    const inner = new SqliteStore({ path: ':memory:' });
    await inner.init();
    const { store: counted, reads } = counting(inner);
    const store = new ResilientStore(counted);
    await store.allRecords();
    const api = await serveInProcess(store);
    const stats = async (): Promise<Statistics> =>
      ((await (await fetch(`${api.apiUrl}/api/v1/statistics`)).json()) as { statistics: Statistics })
        .statistics;
    try {
      const now = new Date().toISOString();
      const web = transition(null, result('web', [scalingDetail(2, 5)]), now);
      await store.saveRecord(web.record, web.event);
      const first = await stats();
      assert.equal(first.active_drifts, 1);
      const afterFirst = reads();
      const again = await Promise.all([stats(), stats(), stats()]);
      assert.equal(reads(), afterFirst, 'no database read between writes');
      for (const s of again) assert.deepEqual({ ...s, trend: [] }, { ...first, trend: [] });
      assert.ok(again.every((s) => (s.trend.at(-1)?.time ?? '') >= (first.trend.at(-1)?.time ?? '')));

      const fixed = transition(web.record, result('web', []), new Date().toISOString());
      await store.saveRecord(fixed.record, fixed.event);
      const resolved = await stats();
      assert.equal(resolved.active_drifts, 0);
      assert.equal(resolved.resolved_drifts, 1);
      assert.ok(reads() > afterFirst, 'read again after a write');

      await store.saveLastAnalysis({
        started_at: now,
        finished_at: now,
        duration_seconds: 1,
        resources: 1,
        git_commit: 'abc1234',
      });
      assert.equal((await stats()).last_analysis?.git_commit, 'abc1234');
    } finally {
      await api.close();
      await store.close();
    }
  });

  it('reads every time when the store cannot vouch for its copy (another writer)', async () => {
    const inner = new SqliteStore({ path: ':memory:' });
    await inner.init();
    const { store: counted, reads } = counting(inner);
    const store = new ResilientStore(counted, { exclusive: false });
    const api = await serveInProcess(store);
    try {
      await fetch(`${api.apiUrl}/api/v1/statistics`).then((r) => r.arrayBuffer());
      const before = reads();
      await fetch(`${api.apiUrl}/api/v1/statistics`).then((r) => r.arrayBuffer());
      assert.equal(reads(), before + 3);
    } finally {
      await api.close();
      await store.close();
    }
  });
});
