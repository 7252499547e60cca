// The waiver book on the embedded store: made with a required expiry (`for` or `expires_at`),
// its signature taken from the drift it waives, listed with its state, revoked, kept across a
// reload, and every change reported so the records it covers are analysed again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../log.ts';
import { transition } from '../records/lifecycle.ts';
import { SqliteStore } from '../store/sqlite.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { WaiverBook, WaiverInputError } from './book.ts';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const log = createLogger({ level: 'silent', format: 'json' });

async function setUp() {
  const store = new SqliteStore({ path: ':memory:' });
  await store.init();
  let now = T0;
  const changed: string[] = [];
  const book = new WaiverBook(
    store,
    'default',
    log,
    (w) => changed.push(w.id),
    () => now,
  );
  return { store, book, changed, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('waiver book', () => {
  it('makes a waiver of one field with its expiry and the signature of the drift it waives', async () => {
    const { store, book, changed } = await setUp();
    const active = transition(null, result('web', [scalingDetail(2, 5)], 'shop'), T0.toISOString());
    await store.saveRecord(active.record, active.event);
    const w = await book.create({
      owner: 'dev-1@example.com',
      reason: 'load test',
      for: '7d',
      resource_id: 'Deployment:shop:web',
      field: 'spec.replicas',
    });
    assert.equal(w.state, 'active');
    assert.equal(w.expires_at, '2026-03-08T10:00:00.000Z');
    assert.deepEqual(w.scope, {
      resource_id: 'Deployment:shop:web',
      kind: null,
      namespace: null,
      name: null,
      field: 'spec.replicas',
    });
    assert.ok(w.signature?.startsWith('spec.replicas'));
    assert.deepEqual(changed, [w.id]);
    const { state: _s, ...stored } = w;
    assert.deepEqual(await store.waivers(), [stored]);
    await store.close();
  });

  it('refuses a waiver without an expiry, with a bad one, or without a scope', async () => {
    const { book, store } = await setUp();
    const base = { owner: 'o', reason: 'r', resource_id: 'Deployment:shop:web' };
    await assert.rejects(
      book.create(base),
      (e) => e instanceof WaiverInputError && /expiry is required/.test(e.message),
    );
    await assert.rejects(book.create({ ...base, for: 'a week' }), /not a duration/);
    await assert.rejects(book.create({ ...base, expires_at: '2026-02-01T00:00:00Z' }), /in the future/);
    await assert.rejects(book.create({ ...base, for: '400d' }), /at most 366d/);
    await assert.rejects(book.create({ owner: 'o', reason: 'r', for: '1d' }), /say what is waived/);
    await assert.rejects(book.create({ ...base, for: '1d', resource_id: 'web' }), /not Kind:namespace:name/);
    await assert.rejects(book.create({ ...base, for: '1d', owner: '' }), WaiverInputError);
    await store.close();
  });

  it('lists states as time passes, revokes, and reads what another replica wrote', async () => {
    const { book, store, advance, changed } = await setUp();
    const rule = await book.create({
      owner: 'o',
      reason: 'r',
      for: '1h',
      kind: 'Deployment',
      namespace: 'shop',
    });
    assert.equal(rule.signature, null);
    const other = await book.create({ owner: 'o', reason: 'r', for: '3h', resource_id: 'ConfigMap:shop:c' });
    advance(2 * 3_600_000);
    assert.deepEqual(
      book.all().map((w) => w.state),
      ['expired', 'active'],
    );
    const revoked = await book.revoke(other.id);
    assert.equal(revoked?.state, 'revoked');
    assert.equal(await book.revoke('no-such-waiver'), null);
    // Another replica (same database) sees them on its next load, and reports each as changed.
    const seen: string[] = [];
    const replica = new WaiverBook(
      store,
      'default',
      log,
      (w) => seen.push(w.id),
      () => T0,
    );
    await replica.load();
    assert.deepEqual(seen.sort(), [rule.id, other.id].sort());
    assert.ok(changed.length >= 3);
    await store.close();
  });
});
