// The agent process survives what breaks around it, and loses nothing: a restart of the API server
// (every watch breaks; drift is then still found by the watch, not the timer), an outage of its
// database (the transitions made meanwhile are written when the database returns), and a database
// that stops answering with its connections open (the MongoDB driver's monitor gives up on it after
// its heartbeat and connect_timeout, ~12 s here, and fails the requests in flight; the same recovery).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { freePort } from '../cluster/ports.ts';
import {
  getRecord,
  isEvent,
  startFixture,
  startWatchOnlyAgent,
  waitForRecord,
  type Fixture,
} from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';

async function readyStatus(agent: AgentProcess): Promise<{ code: number; message: string }> {
  const res = await fetch(`${agent.healthUrl}/ready`);
  return { code: res.status, message: ((await res.json()) as { message: string }).message };
}

describe('agent through a kube-apiserver restart', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx);
  });
  after(async () => {
    await fx?.stop();
  });

  it('reconnects its watches and still finds drift by watch', async () => {
    await fx.plane.restartApiServer(2000);
    assert.equal(agent.child.exitCode, null, 'the agent is still running');
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=6']);
    // Periodic analysis is off: only a re-established watch can find this. The bound covers the
    // reconnect backoff after two seconds of refused connections.
    const rec = await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active', 30_000);
    assert.equal(rec.drift_type, 'Scaling');
    assert.ok(
      agent.logs().some((l) => l.includes('"watch_error"') || l.includes('"watch_restarted"')),
      'the broken watch was logged',
    );
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'resolved', 10_000);
  });
});

/** Applies the fixture and starts a watch-only agent storing in database `name` of `db` (outages found within 2 s). */
async function watchOnlyAgentOn(fx: Fixture, db: FerretDB, name: string): Promise<AgentProcess> {
  await fx.applyAll();
  return startWatchOnlyAgent(fx, { database: { uri: db.uri, name, connect_timeout: '2s' } });
}

describe('agent through a database outage', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  let db: FerretDB;
  let port: number;
  let dir: string;
  before(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'driftguard-outage-'));
    db = await startFerretDB({ port, dir });
    fx = await startFixture();
    agent = await watchOnlyAgentOn(fx, db, 'driftguard_outage');
  });
  after(async () => {
    await fx?.stop();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the transitions made while the database is down and writes them when it returns', async () => {
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=5']);
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active');

    await db.stop();
    // While the database is down: one drift resolved, another detected.
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
    await fx.plane.kubectlOk([
      'set',
      'image',
      'deployment/frontend',
      '-n',
      'demo',
      'podinfo=ghcr.io/stefanprodan/podinfo:6.7.2',
    ]);
    await agent.waitForLog(isEvent('store_write_failed'), 15_000);
    const down = await readyStatus(agent);
    assert.equal(down.code, 503);
    assert.match(down.message, /store/);
    assert.equal(agent.child.exitCode, null, 'the agent is still running');

    db = await startFerretDB({ port, dir });
    await agent.waitForLog(isEvent('store_recovered'), 30_000);
    const web = await waitForRecord(
      agent,
      'Deployment:demo:web',
      (r) => r.drift_status === 'resolved',
      15_000,
    );
    assert.ok(web.resolved_at);
    const frontend = await waitForRecord(
      agent,
      'Deployment:demo:frontend',
      (r) => r.drift_status === 'active',
      15_000,
    );
    assert.equal(frontend.drift_type, 'VersionChange');
    const history = (await (
      await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent('Deployment:demo:web')}/history`)
    ).json()) as { events: { event: string }[] };
    assert.deepEqual(
      history.events.map((e) => e.event),
      ['resolved', 'detected'],
    );
    assert.equal((await readyStatus(agent)).code, 200);
    assert.ok(await getRecord(agent, 'Secret:demo:db-credentials'));
  });
});

describe('agent through a database that stops answering', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  let db: FerretDB;
  before(async () => {
    db = await startFerretDB();
    fx = await startFixture();
    agent = await watchOnlyAgentOn(fx, db, 'driftguard_frozen');
  });
  after(async () => {
    await fx?.stop();
    await db?.stop();
  });

  it('stays up, says so in /ready, keeps what it found, and writes it once the database answers again', async () => {
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=5']);
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active');

    db.freeze();
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
    await fx.plane.kubectlOk(['label', 'service/web', '-n', 'demo', 'frozen=yes']);
    // The write in flight when it froze fails when the driver gives up on the server; the analyses
    // behind it then go on from memory.
    await agent.waitForLog(isEvent('store_write_failed'), 30_000);
    await agent.waitForLog(isEvent('drift_resolved', 'Deployment:demo:web'), 15_000);
    await agent.waitForLog(isEvent('drift_detected', 'Service:demo:web'), 15_000);
    const started = Date.now();
    const down = await readyStatus(agent);
    assert.ok(Date.now() - started < 10_000, `/ready answered in ${Date.now() - started} ms`);
    assert.equal(down.code, 503);
    assert.match(down.message, /store/);
    // Served from memory meanwhile, the new transitions included.
    assert.equal((await getRecord(agent, 'Deployment:demo:web'))?.drift_status, 'resolved');
    assert.equal(agent.child.exitCode, null, 'the agent is still running');

    db.thaw();
    await agent.waitForLog(isEvent('store_recovered'), 30_000);
    assert.equal((await readyStatus(agent)).code, 200);
    await until(
      'both transitions in the database itself',
      async () => {
        const stored = await storedRecords(db.uri, 'driftguard_frozen');
        return stored.get('Deployment:demo:web') === 'resolved' && stored.get('Service:demo:web') === 'active'
          ? stored
          : undefined;
      },
      { timeoutMs: 15_000 },
    );
  });
});

/** drift_status by resource_id, read from the database itself (not through the agent's memory). */
async function storedRecords(uri: string, name: string): Promise<Map<string, string>> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const docs = await client.db(name).collection('drift_records').find({}).toArray();
    return new Map(docs.map((d) => [String(d['resource_id']), String(d['drift_status'])]));
  } finally {
    await client.close();
  }
}
