// Notifications from the real agent process to a real local HTTP receiver: drifts made with kubectl
// on a real control plane arrive as webhook JSON, CloudEvents and Slack messages (each sink with its
// filters), no payload holds a Secret value, a sink that is down fails and is counted without
// touching /ready, the URL token from the environment is in no log line, and after a restart on the
// same store nothing is sent twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isEvent, startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { untilTrue } from '../kit/poll.ts';

const WEB = 'Deployment:demo:web';
const SECRET = 'Secret:demo:db-credentials';
const OLD_SECRET = 'demo-password-change-me';
const NEW_SECRET = 'rotated-by-hand-42';
const SECRET_VALUES = [
  OLD_SECRET,
  NEW_SECRET,
  ...[OLD_SECRET, NEW_SECRET].map((v) => Buffer.from(v).toString('base64')),
];
const TOKEN = 'xoxb-TEST-token-4242';

interface Hit {
  path: string;
  contentType: string;
  text: string;
  body: Record<string, unknown>;
}

let fx: Fixture;
let agent: AgentProcess;
let server: Server;
let base = '';
const hits: Hit[] = [];
const dir = mkdtempSync(join(tmpdir(), 'driftguard-notify-'));

function config(): Record<string, Record<string, unknown>> {
  const urlFile = join(dir, 'ce-url');
  writeFileSync(urlFile, `${base}/ce\n`);
  return {
    database: { path: join(dir, 'db', 'driftguard.db') },
    notifications: [
      { name: 'hook', type: 'webhook', url: `${base}/hook`, min_interval: '0s' },
      { name: 'ce', type: 'cloudevents', url_file: urlFile, kinds: ['Deployment'], min_interval: '0s' },
      { name: 'slack', type: 'slack', url_env: 'SLACK_URL', min_severity: 'high', min_interval: '0s' },
      { name: 'broken', type: 'webhook', url: 'http://127.0.0.1:1/never', retries: 1, backoff: '50ms' },
    ] as unknown as Record<string, unknown>,
  };
}

function start(): Promise<AgentProcess> {
  return fx.startAgent({ config: config(), env: { SLACK_URL: `${base}/slack?token=${TOKEN}` } });
}

const at = (path: string) => hits.filter((h) => h.path === path);

/** What the sinks received so far, named when a wait gives up. */
const received = () =>
  `received ${JSON.stringify(hits.map((h) => [h.path, h.body['event'] ?? h.body['type'] ?? 'slack']))}`;

describe('notifications from the agent', () => {
  before(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        hits.push({
          path: (req.url ?? '').split('?')[0] ?? '',
          contentType: String(req.headers['content-type']),
          text,
          body: JSON.parse(text) as Record<string, unknown>,
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fx = await startFixture();
    await fx.applyAll();
    agent = await start();
    await agent.waitReady(60_000);
    await agent.waitForLog(isEvent('analysis_completed'), 30_000);
  });
  after(async () => {
    await fx?.stop();
    server?.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends nothing while everything is in sync', async () => {
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hits.length, 0);
  });

  it('sends each drift to the sinks whose filters match, with no Secret value', async () => {
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'secret/db-credentials',
      '-p',
      JSON.stringify({ stringData: { password: NEW_SECRET } }),
    ]);
    await waitForRecord(agent, WEB, (r) => r.drift_status === 'active', 20_000);
    await waitForRecord(agent, SECRET, (r) => r.drift_status === 'active', 20_000);
    await untilTrue(
      'the notifications',
      () => at('/hook').length >= 2 && at('/ce').length >= 1 && at('/slack').length >= 1,
      { timeoutMs: 10_000, intervalMs: 20, detail: received },
    );
    await new Promise((r) => setTimeout(r, 500));
    const hook = at('/hook');
    assert.deepEqual(hook.map((h) => h.body['resource_id']).sort(), [WEB, SECRET]);
    assert.ok(hook.every((h) => h.body['event'] === 'detected'));
    const web = hook.find((h) => h.body['resource_id'] === WEB);
    assert.equal(web?.body['drift_type'], 'Scaling');
    assert.match(String(web?.body['message']), /replicas 2 → 5/);
    // CloudEvents: Deployments only.
    const ce = at('/ce');
    assert.equal(ce.length, 1);
    assert.equal(ce[0]?.body['type'], 'io.driftguard.drift.detected');
    assert.equal(ce[0]?.body['specversion'], '1.0');
    assert.equal(ce[0]?.body['subject'], WEB);
    assert.match(ce[0]?.contentType ?? '', /^application\/cloudevents\+json/);
    // Slack: high severity only (the SecretChange).
    const slack = at('/slack');
    assert.equal(slack.length, 1);
    assert.match(String(slack[0]?.body['text']), /Secret demo\/db-credentials: drift detected/);
    for (const h of hits)
      for (const v of SECRET_VALUES) assert.ok(!h.text.includes(v), `${h.path} payload holds ${v}`);
  });

  it('counts the down sink as failed, keeps /ready at 200, and never logs the URL token', async () => {
    await agent.waitForLog((l) => l['event'] === 'notification_failed' && l['sink'] === 'broken', 10_000);
    const ready = await fetch(`${agent.healthUrl}/ready`);
    assert.equal(ready.status, 200);
    const metrics = await (await fetch(`${agent.healthUrl}/metrics`)).text();
    assert.match(metrics, /driftguard_notifications_total\{sink="hook",outcome="sent"\} 2/);
    assert.match(metrics, /driftguard_notifications_total\{sink="broken",outcome="failed"\} [1-9]/);
    assert.match(metrics, /driftguard_notifications_total\{sink="slack",outcome="dropped"\} 0/);
    for (const l of agent.logs()) assert.ok(!l.includes(TOKEN), l);
  });

  it('sends nothing twice after a restart on the same store, and the resolution once', async () => {
    const before = hits.length;
    await agent.stop();
    agent = await start();
    await agent.waitReady(60_000);
    await agent.waitForLog(isEvent('analysis_completed'), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(hits.length, before, 'a restart re-sends nothing');
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=2']);
    await waitForRecord(agent, WEB, (r) => r.drift_status === 'resolved', 20_000);
    await untilTrue('the notifications', () => at('/hook').length === 3 && at('/ce').length === 2, {
      timeoutMs: 10_000,
      intervalMs: 20,
      detail: received,
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(at('/hook').at(-1)?.body['event'], 'resolved');
    assert.equal(at('/ce').at(-1)?.body['type'], 'io.driftguard.drift.resolved');
    const ids = hits.filter((h) => h.path === '/hook').map((h) => h.body['event_id']);
    assert.equal(new Set(ids).size, ids.length, 'every event id once');
    assert.equal(at('/hook').length, 3);
  });
});
