// The shared API client's writes (POST with a JSON body, DELETE) against the agent's real API app
// on loopback over the embedded store: a waiver made, listed and revoked, and every failure turned
// into the same ApiError as a GET's (the agent's 400 and 404 messages, no answer at all).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiApp, createHealthApp, startHttpServers } from '../../agent/api/index.ts';
import { createLogger } from '../../agent/log.ts';
import { AgentMetrics } from '../../agent/metrics.ts';
import { SqliteStore } from '../../agent/store/sqlite.ts';
import { WaiverBook } from '../../agent/waivers/book.ts';
import { ApiError, DriftGuardClient } from '../../shared/api/client.ts';
import { TestControl } from './control.ts';
import { TEST_LIMITS } from './in-process.ts';

describe('API client: POST with a JSON body and DELETE', () => {
  let client: DriftGuardClient;
  let close: () => Promise<void>;
  let store: SqliteStore;

  before(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.init();
    const log = createLogger({ level: 'silent', format: 'json' });
    const waivers = new WaiverBook(store, 'default', log, () => undefined);
    const servers = await startHttpServers({
      apiApp: createApiApp({
        store,
        control: new TestControl(),
        metrics: new AgentMetrics(),
        limits: TEST_LIMITS,
        waivers,
      }),
      healthApp: createHealthApp({ control: new TestControl(), metrics: new AgentMetrics() }),
      api: { port: 0, address: '127.0.0.1' },
      health: { port: 0, address: '127.0.0.1' },
      timeouts: { readMs: 10_000, writeMs: 10_000, idleMs: 5_000 },
    });
    client = new DriftGuardClient(servers.apiUrl);
    close = async () => {
      waivers.stop();
      await servers.close();
      await store.close();
    };
  });
  after(() => close());

  it('creates a waiver from a JSON body, lists it and revokes it with DELETE', async () => {
    const made = await client.createWaiver({
      owner: 'dev-1@example.com',
      reason: 'load test',
      for: '7d',
      resource_id: 'Deployment:shop:web',
      field: 'spec.replicas',
    });
    assert.equal(made.state, 'active');
    assert.equal(made.owner, 'dev-1@example.com');
    assert.deepEqual(made.scope, {
      resource_id: 'Deployment:shop:web',
      kind: null,
      namespace: null,
      name: null,
      field: 'spec.replicas',
    });
    const listed = await client.waivers();
    assert.deepEqual(
      listed.waivers.map((w) => [w.id, w.state]),
      [[made.id, 'active']],
    );
    const revoked = await client.revokeWaiver(made.id);
    assert.equal(revoked.state, 'revoked');
    assert.ok(revoked.revoked_at);
    assert.equal((await client.waivers()).waivers[0]?.state, 'revoked');
  });

  it("turns the agent's 400 into ApiError with its message", async () => {
    await assert.rejects(
      client.createWaiver({ owner: 'a', reason: 'b', resource_id: 'Deployment:shop:web' }),
      (err: unknown) =>
        err instanceof ApiError && err.status === 400 && /an expiry is required/.test(err.message),
    );
  });

  it("turns the agent's 404 on DELETE into ApiError with its message", async () => {
    await assert.rejects(
      client.revokeWaiver('00000000-0000-0000-0000-000000000000'),
      (err: unknown) => err instanceof ApiError && err.status === 404 && /no waiver/.test(err.message),
    );
  });

  it('reports an agent that does not answer as ApiError(null), for writes too', async () => {
    const gone = new DriftGuardClient('http://127.0.0.1:1');
    for (const call of [
      () => gone.createWaiver({ owner: 'a', reason: 'b', for: '1h', kind: 'Deployment' }),
      () => gone.revokeWaiver('x'),
    ])
      await assert.rejects(
        call(),
        (err: unknown) => err instanceof ApiError && err.status === null && /unreachable/.test(err.message),
      );
  });
});
