// --request-timeout / DRIFTGUARD_REQUEST_TIMEOUT: the plugin's deadline for each answer of the
// agent, against a real HTTP server that answers /api/v1/statistics after 1.5 s.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runPlugin } from '../kit/plugin.ts';

describe('plugin request timeout', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      setTimeout(() => {
        // 500 with a JSON error: the plugin quotes it, which proves the answer was waited for.
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: `slow answer to ${req.url}` }));
      }, 1500);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('gives up after --request-timeout with a clear error', async () => {
    const r = await runPlugin(['status', '--agent-url', url, '--request-timeout', '300ms']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /did not answer in time/);
  });

  it('waits longer when asked (flag over env; env alone; 0 = no limit)', async () => {
    for (const [args, env] of [
      [['--request-timeout', '5s'], { DRIFTGUARD_REQUEST_TIMEOUT: '300ms' }],
      [[], { DRIFTGUARD_REQUEST_TIMEOUT: '1m' }],
      [['--request-timeout=0'], {}],
    ] as const) {
      const r = await runPlugin(['status', '--agent-url', url, ...args], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.doesNotMatch(r.stderr, /did not answer in time/, `${args.join(' ')} ${JSON.stringify(env)}`);
      assert.match(r.stderr, /slow answer/);
    }
    const short = await runPlugin(['status', '--agent-url', url], {
      env: { DRIFTGUARD_REQUEST_TIMEOUT: '300ms' },
    });
    assert.match(short.stderr, /did not answer in time/);
  });

  it('refuses a value that is not a duration', async () => {
    const r = await runPlugin(['status', '--agent-url', url, '--request-timeout', 'soon']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--request-timeout soon: expected a duration/);
    const e = await runPlugin(['status', '--agent-url', url], { env: { DRIFTGUARD_REQUEST_TIMEOUT: 'x' } });
    assert.equal(e.code, 2);
    assert.match(e.stderr, /DRIFTGUARD_REQUEST_TIMEOUT x: expected a duration/);
  });
});
