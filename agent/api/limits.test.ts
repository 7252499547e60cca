// Request deadline and body limit on a small koa app over real HTTP: a handler slower than the
// deadline is answered 503 as JSON, and the connection stays usable.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { errorResponses } from './errors.ts';
import { declaredBodyLimit, readEmptyJsonBody, requestTimeout } from './limits.ts';

describe('request limits', () => {
  let server: Server;
  let base: string;
  let release: () => void = () => {};

  before(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(errorResponses(undefined, undefined));
    app.use(requestTimeout(100));
    app.use(declaredBodyLimit(16));
    app.use(async (ctx) => {
      if (ctx.path === '/slow') {
        // Held until the test releases it, long after the deadline.
        await new Promise<void>((resolve) => (release = resolve));
        ctx.body = { late: true };
        return;
      }
      await readEmptyJsonBody(ctx, 16);
      ctx.body = { ok: true };
    });
    const handler = app.callback();
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    release();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 503 JSON when the handler outlives the deadline', async () => {
    const res = await fetch(`${base}/slow`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { error: 'request timed out after 100 ms' });
    release();
    const fast = await fetch(`${base}/fast`);
    assert.equal(fast.status, 200);
  });

  it('answers 413 for a declared body over the limit and accepts an empty object', async () => {
    const big = await fetch(`${base}/fast`, { method: 'POST', body: '{"a":"0123456789abcdef"}' });
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { error: string }).error, /exceeds the limit of 16 bytes/);
    const ok = await fetch(`${base}/fast`, { method: 'POST', body: '{}' });
    assert.equal(ok.status, 200);
  });
});
