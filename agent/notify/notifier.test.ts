// The notifier against a real local HTTP receiver (node:http on a loopback port): payload shapes
// (webhook JSON, CloudEvents 1.0 structured, Slack text + blocks), filters, retries after 500s and
// after a timeout, coalescing within min_interval, the bounded queue's dropped counter, metrics,
// and a URL token that never reaches a log line.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DriftEvent, DriftRecord } from '../../shared/types.ts';
import type { SinkConfig } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { AgentMetrics } from '../metrics.ts';
import { Notifier } from './notifier.ts';

interface Hit {
  path: string;
  contentType: string;
  body: Record<string, unknown>;
  at: number;
}

let server: Server;
let base: string;
const hits: Hit[] = [];
/** Every request's path, answered or not. */
const attempts: string[] = [];
/** Per path: how to answer the next requests (status, or 'hang'), then 200. */
const script = new Map<string, (number | 'hang')[]>();

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const next = script.get(path)?.shift();
      attempts.push(path);
      if (next === 'hang') return; // never answers: the client's timeout must fire
      res.statusCode = next ?? 200;
      if (res.statusCode !== 200) return void res.end('no');
      hits.push({
        path,
        contentType: String(req.headers['content-type']),
        body: JSON.parse(text) as Record<string, unknown>,
        at: Date.now(),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  hits.length = 0;
  attempts.length = 0;
  script.clear();
});

function sink(over: Partial<SinkConfig> & Pick<SinkConfig, 'name' | 'type'>): SinkConfig {
  return {
    min_severity: 'low',
    min_interval: 0,
    // Generous: a retry after a timeout would deliver twice (at least once is the contract).
    timeout: 3000,
    retries: 3,
    backoff: 20,
    queue_size: 100,
    ...over,
  } as SinkConfig;
}

const T = '2026-12-01T10:00:00.000Z';
function note(
  id: string,
  event: DriftEvent['event'],
  over: Partial<DriftRecord> = {},
): { event: DriftEvent; record: DriftRecord } {
  const [kind = '', namespace = '', name = ''] = id.split(':');
  const severity = over.severity === undefined ? 'medium' : over.severity;
  const record: DriftRecord = {
    cluster: 'default',
    resource_id: id,
    kind,
    namespace,
    name,
    api_version: 'apps/v1',
    drift_detected: event !== 'resolved',
    drift_status: event === 'resolved' ? 'resolved' : 'active',
    drift_type: 'Scaling',
    severity,
    drift_details: [],
    desired_hash: 'sha256:d',
    live_hash: 'sha256:l',
    git_commit: 'abc123def4567890',
    source_file: 'apps/web.yaml',
    first_detected: T,
    last_checked: T,
    resolved_at: null,
    last_known_good_hash: null,
    resolution_message: null,
    ...over,
  };
  return {
    record,
    event: {
      event_id: `${id}|${event}|${T}|${Math.random()}`,
      cluster: 'default',
      resource_id: id,
      event,
      from_status: 'none',
      to_status: record.drift_status,
      time: T,
      drift_type: record.drift_type,
      severity: record.severity,
      kind,
      namespace,
      message: 'replicas 2 → 5 (kubectl-scale)',
    },
  };
}

function harness(sinks: SinkConfig[], env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json' }, { write: (l: string) => void lines.push(l) });
  const metrics = new AgentMetrics();
  const notifier = new Notifier(sinks, { log, metrics, env });
  const count = async (name: string, outcome: string) => {
    const m = await metrics.notifications.get();
    return m.values.find((v) => v.labels['sink'] === name && v.labels['outcome'] === outcome)?.value ?? 0;
  };
  return { notifier, lines, count };
}

async function until(pred: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out; hits: ${JSON.stringify(hits.map((h) => h.path))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('notifications', () => {
  it('sends a webhook JSON body, a CloudEvent and a Slack message, each filtered', async () => {
    const h = harness([
      sink({ name: 'hook', type: 'webhook', url: `${base}/hook`, min_severity: 'medium' }),
      sink({ name: 'ce', type: 'cloudevents', url: `${base}/ce`, kinds: ['Deployment'] }),
      sink({
        name: 'slack',
        type: 'slack',
        url: `${base}/slack`,
        namespaces: ['shop'],
        types: ['Scaling'],
        sources: ['apps/*'],
      }),
    ]);
    h.notifier.notify(note('Deployment:shop:web', 'detected'));
    h.notifier.notify(
      note('ConfigMap:shop:cfg', 'detected', { severity: 'low', drift_type: 'ConfigMapChange' }),
    );
    h.notifier.notify(note('Deployment:other:api', 'resolved', { source_file: 'infra/api.yaml' }));
    await until(async () => hits.length >= 5 && (await h.count('hook', 'sent')) === 2);
    await new Promise((r) => setTimeout(r, 100));
    const by = (p: string) => hits.filter((x) => x.path === p);
    // hook: medium and up -> web and api, not the low ConfigMap.
    assert.deepEqual(
      by('/hook')
        .map((x) => x.body['resource_id'])
        .sort(),
      ['Deployment:other:api', 'Deployment:shop:web'],
    );
    assert.equal(by('/hook')[0]?.contentType, 'application/json');
    assert.equal(by('/hook')[0]?.body['event'], 'detected');
    // ce: Deployments only, CloudEvents 1.0 structured mode.
    const ce = by('/ce');
    assert.equal(ce.length, 2);
    assert.match(ce[0]?.contentType ?? '', /^application\/cloudevents\+json/);
    const types = ce.map((x) => x.body['type']).sort();
    assert.deepEqual(types, ['io.driftguard.drift.detected', 'io.driftguard.drift.resolved']);
    for (const x of ce) {
      assert.equal(x.body['specversion'], '1.0');
      assert.equal(x.body['source'], '/driftguard/agent');
      assert.ok(
        typeof x.body['id'] === 'string' &&
          x.body['subject'] === (x.body['data'] as Record<string, unknown>)['resource_id'],
      );
    }
    // slack: namespace shop, type Scaling, source apps/* -> only web.
    const slack = by('/slack');
    assert.equal(slack.length, 1);
    assert.match(String(slack[0]?.body['text']), /Deployment shop\/web: drift detected/);
    const blocks = slack[0]?.body['blocks'] as { type: string }[];
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['section', 'context'],
    );
    assert.equal(await h.count('hook', 'sent'), 2);
    await h.notifier.stop();
  });

  it('retries after 500s and after a timeout, with backoff, then counts it sent', async () => {
    script.set('/flaky', [500, 500, 'hang']);
    const h = harness([
      sink({ name: 'flaky', type: 'webhook', url: `${base}/flaky`, retries: 4, backoff: 50, timeout: 300 }),
    ]);
    const started = Date.now();
    h.notifier.notify(note('Deployment:shop:web', 'detected'));
    await until(() => hits.length === 1);
    // Backoffs 50, 100, 200 ms (jitter takes up to a fifth off) and one 300 ms timeout: at least 580 ms.
    assert.ok(Date.now() - started >= 580, `took ${Date.now() - started} ms`);
    assert.equal(attempts.filter((p) => p === '/flaky').length, 4);
    await until(async () => (await h.count('flaky', 'sent')) === 1);
    assert.equal(await h.count('flaky', 'failed'), 0);
    await h.notifier.stop();
  });

  it('counts a notification failed after its retries; the URL token never reaches a log line', async () => {
    script.set('/down', [500, 500, 500]);
    const token = 'T0KEN-s3cr3t-xyz';
    const h = harness([sink({ name: 'down', type: 'slack', url_env: 'HOOK_URL', retries: 2, backoff: 10 })], {
      HOOK_URL: `${base}/down?token=${token}`,
    });
    h.notifier.notify(note('Deployment:shop:web', 'detected'));
    await until(async () => (await h.count('down', 'failed')) === 1);
    assert.equal(hits.length, 0);
    assert.equal(attempts.length, 3, 'one try and two retries');
    assert.ok(h.lines.some((l) => l.includes('"event":"notification_failed"')));
    for (const l of h.lines) assert.ok(!l.includes(token) && !l.includes('/down'), l);
    await h.notifier.stop();
    // An unreachable receiver: the error is logged without the URL either.
    const closed = harness([
      sink({ name: 'closed', type: 'webhook', url: `http://127.0.0.1:1/x?token=${token}`, retries: 0 }),
    ]);
    closed.notifier.notify(note('Deployment:shop:web', 'detected'));
    await until(async () => (await closed.count('closed', 'failed')) === 1);
    for (const l of closed.lines) assert.ok(!l.includes(token), l);
    await closed.notifier.stop();
  });

  it('sends one notification per resource per min_interval, the latest state, and others at once', async () => {
    const h = harness([sink({ name: 'calm', type: 'webhook', url: `${base}/calm`, min_interval: 400 })]);
    // The interval counts from the first send, which is at or after this; measured from the first
    // arrival instead, a first request delayed by a loaded machine shortened it (a flake at load 15).
    const firstSend = Date.now();
    h.notifier.notify(note('Deployment:shop:web', 'detected'));
    for (let i = 0; i < 5; i++) {
      h.notifier.notify(note('Deployment:shop:web', 'updated'));
      h.notifier.notify(note('Deployment:shop:web', 'resolved'));
    }
    h.notifier.notify(note('Deployment:shop:api', 'detected'));
    await until(() => hits.length === 3, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const web = hits.filter((x) => x.body['resource_id'] === 'Deployment:shop:web');
    assert.deepEqual(
      web.map((x) => x.body['event']),
      ['detected', 'resolved'],
      'the flapping is coalesced to its end',
    );
    // A timer may fire a millisecond early.
    assert.ok((web[1]?.at ?? 0) - firstSend >= 395, 'the second waits for min_interval');
    assert.equal(hits.length, 3);
    await h.notifier.stop();
  });

  it('drops the oldest when the queue is full and counts them', async () => {
    script.set('/slow', ['hang']);
    const h = harness([
      sink({ name: 'slow', type: 'webhook', url: `${base}/slow`, queue_size: 2, retries: 0, timeout: 500 }),
    ]);
    for (let i = 0; i < 6; i++) h.notifier.notify(note(`Deployment:shop:w${i}`, 'detected'));
    // One in flight (hanging), two queued, three dropped.
    assert.equal(await h.count('slow', 'dropped'), 3);
    await until(() => hits.length === 2, 5000);
    assert.deepEqual(
      hits.map((x) => x.body['resource_id']),
      ['Deployment:shop:w4', 'Deployment:shop:w5'],
    );
    assert.equal(await h.count('slow', 'failed'), 1);
    await h.notifier.stop();
  });
});
