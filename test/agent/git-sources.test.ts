// The agent process with its desired state over smart HTTP (Basic auth) and a file:// bare repo,
// on both stores (embedded SQLite and FerretDB): a Git commit is found by the Git poll; a
// malformed commit and an unreachable remote leave it running on the last good state, and it
// recovers; wrong credentials keep it not ready without leaking them; SIGTERM → exit 0.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { startGitHttpServer, type GitHttpServer } from '../git/http-backend.ts';
import { isEvent, startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';

async function ready(agent: AgentProcess): Promise<{
  status: number;
  body: { message: string; components: { name: string; ready: boolean; message: string }[] };
}> {
  const res = await fetch(`${agent.healthUrl}/ready`);
  return {
    status: res.status,
    body: (await res.json()) as {
      message: string;
      components: { name: string; ready: boolean; message: string }[];
    },
  };
}

describe('agent with Git over HTTP (Basic auth), embedded store', () => {
  let fx: Fixture;
  let server: GitHttpServer;
  let agent: AgentProcess;
  let bareDir: string;
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    bareDir = fx.repo.bare().dir;
    server = await startGitHttpServer(dirname(bareDir), 'alice', 'right-password');
    agent = await fx.startAgent({
      gitUrl: `${server.url}/repo.git`,
      config: {
        git: { auth: { username: 'alice', password_env: 'TEST_GIT_PASSWORD' } },
        drift: { periodic: false, interval: '1s' },
      },
      env: { TEST_GIT_PASSWORD: 'right-password' },
    });
    await agent.waitReady(30_000);
    await agent.waitForLog(isEvent('analysis_completed'), 20_000);
  });
  after(async () => {
    await fx?.stop();
    await server?.stop();
  });

  it('finds drift introduced by a Git commit through the Git poll', async () => {
    const web = fx.files['web.yaml'] ?? '';
    const commit = fx.repo.commit({ 'manifests/web.yaml': web.replace('replicas: 2', 'replicas: 4') });
    const rec = await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active', 10_000);
    assert.equal(rec.drift_type, 'Scaling');
    assert.equal(rec.git_commit, commit);
    assert.equal(rec.source_file, 'manifests/web.yaml');
    fx.repo.commit({ 'manifests/web.yaml': web });
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'resolved', 10_000);
  });

  it('keeps running on the last good state after a malformed commit, then recovers', async () => {
    fx.repo.commit({
      'manifests/web.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: [oops\n',
    });
    const err = await agent.waitForLog(isEvent('git_parse_error'), 10_000);
    assert.equal(err['file'], 'manifests/web.yaml');
    assert.equal(typeof err['line'], 'number');
    const r = await ready(agent);
    assert.equal(r.status, 200, 'still ready: last good objects kept');
    assert.match(r.body.components.find((c) => c.name === 'git')?.message ?? '', /manifests\/web\.yaml:\d+/);
    // The last good desired state still drives detection.
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=9']);
    await waitForRecord(
      agent,
      'Deployment:demo:web',
      (rec) => rec.drift_status === 'active' && rec.drift_type === 'Scaling',
    );
    await fx.plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=2']);
    await waitForRecord(agent, 'Deployment:demo:web', (rec) => rec.drift_status === 'resolved');
    fx.repo.commit({ 'manifests/web.yaml': fx.files['web.yaml'] ?? '' });
    await agent.waitForLog(
      (l) => l['event'] === 'git_recovered' && l['file'] === 'manifests/web.yaml',
      10_000,
    );
  });

  it('keeps running while Git is unreachable, then recovers', async () => {
    const moved = `${bareDir}.away`;
    renameSync(bareDir, moved);
    try {
      await agent.waitForLog(isEvent('git_sync_failed'), 10_000);
      const r = await ready(agent);
      assert.equal(r.status, 200);
      assert.match(r.body.components.find((c) => c.name === 'git')?.message ?? '', /last sync failed/);
      assert.equal(agent.child.exitCode, null, 'agent still running');
    } finally {
      renameSync(moved, bareDir);
    }
    await agent.waitForLog((l) => l['event'] === 'git_recovered' && l['file'] === undefined, 10_000);
  });

  it('refuses wrong credentials: not ready, still running, nothing leaked', async () => {
    const wrong = await fx.startAgent({
      gitUrl: `${server.url}/repo.git`,
      config: { git: { auth: { username: 'alice', password_env: 'TEST_GIT_PASSWORD' } } },
      env: { TEST_GIT_PASSWORD: 'wrong-password' },
    });
    await wrong.waitForLog(isEvent('git_sync_failed'), 15_000);
    const r = await ready(wrong);
    assert.equal(r.status, 503);
    assert.equal(r.body.components.find((c) => c.name === 'git')?.ready, false);
    assert.equal(wrong.child.exitCode, null);
    const text = wrong.logs().join('\n') + wrong.stderr();
    assert.ok(
      !text.includes('wrong-password') &&
        !text.includes(Buffer.from('alice:wrong-password').toString('base64')),
      'credential leaked',
    );
    assert.equal(await wrong.stop(), 0);
  });

  it('stops on SIGTERM with exit 0', async () => {
    assert.equal(await agent.stop(), 0);
    assert.ok(agent.logs().some((l) => l.includes('"event":"shutdown"')));
  });
});

describe('agent with a file:// bare repo and FerretDB', () => {
  let fx: Fixture;
  let ferret: FerretDB;
  let agent: AgentProcess;
  before(async () => {
    fx = await startFixture();
    ferret = await startFerretDB();
    await fx.applyAll();
    agent = await fx.startAgent({
      gitUrl: fx.repo.bare().url,
      config: { database: { uri: ferret.uri, name: 'dgtest' } },
    });
    await agent.waitReady(30_000);
    await agent.waitForLog(isEvent('analysis_completed'), 20_000);
  });
  after(async () => {
    await fx?.stop();
    await ferret?.stop();
  });

  it('records drift found by the watch in MongoDB, without Secret values', async () => {
    await fx.plane.kubectlOk(['scale', 'deployment/api', '-n', 'demo', '--replicas=1']);
    await waitForRecord(
      agent,
      'Deployment:demo:api',
      (r) => r.drift_status === 'active' && r.drift_type === 'Scaling',
    );
    await fx.plane.kubectlOk([
      'patch',
      'secret/api-token',
      '-n',
      'demo',
      '-p',
      JSON.stringify({ stringData: { token: 'mongo-leak-check' } }),
    ]);
    await waitForRecord(
      agent,
      'Secret:demo:api-token',
      (r) => r.drift_status === 'active' && r.drift_type === 'SecretChange',
    );
    const client = new MongoClient(ferret.uri);
    try {
      const db = client.db('dgtest');
      let dump = '';
      for (const { name } of await db.listCollections().toArray())
        dump += JSON.stringify(await db.collection(name).find().toArray());
      assert.match(dump, /Deployment:demo:api/);
      assert.match(dump, /Secret:demo:api-token/);
      for (const v of [
        'mongo-leak-check',
        Buffer.from('mongo-leak-check').toString('base64'),
        'demo-api-token',
        'ZGVtby1hcGktdG9rZW4=',
      ]) {
        assert.ok(!dump.includes(v), `MongoDB holds ${v}`);
        assert.ok(!agent.logs().join('\n').includes(v), `logs hold ${v}`);
      }
    } finally {
      await client.close();
    }
    await fx.plane.kubectlOk(['apply', '-f', join(fx.repo.dir, 'manifests', 'secrets.yaml')]);
    await waitForRecord(agent, 'Secret:demo:api-token', (r) => r.drift_status === 'resolved');
  });
});
