// Graceful close over real sockets: an in-flight request finishes, new connections are refused,
// idle keep-alive connections do not hold close() open (the idle timeout here is a minute).
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import Koa from 'koa';
import { startHttpServers } from './server.ts';

function get(
  url: string,
  agent: Agent | false,
): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

function slowApp(): { app: Koa; arrived: Promise<void>; release: () => void } {
  let release: () => void = () => {};
  let arrive: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.path === '/slow') {
      arrive();
      await gate;
    }
    ctx.body = { path: ctx.path };
  });
  return { app, arrived, release };
}

const timeouts = { readMs: 60_000, writeMs: 60_000, idleMs: 60_000 };

describe('startHttpServers', () => {
  it('listens on both ports and reports their URLs', async () => {
    const servers = await startHttpServers({
      apiApp: slowApp().app,
      healthApp: slowApp().app,
      api: { port: 0, address: '127.0.0.1' },
      health: { port: 0, address: '0.0.0.0' },
      timeouts,
    });
    try {
      assert.match(servers.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(servers.healthUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(servers.apiUrl, servers.healthUrl);
      assert.equal((await get(`${servers.healthUrl}/health`, false)).status, 200);
    } finally {
      await servers.close();
    }
  });

  it('fails clearly when a port is taken, leaving nothing listening', async () => {
    const first = await startHttpServers({
      apiApp: slowApp().app,
      healthApp: slowApp().app,
      api: { port: 0, address: '127.0.0.1' },
      health: { port: 0, address: '127.0.0.1' },
      timeouts,
    });
    try {
      const port = Number(new URL(first.apiUrl).port);
      await assert.rejects(
        startHttpServers({
          apiApp: slowApp().app,
          healthApp: slowApp().app,
          api: { port, address: '127.0.0.1' },
          health: { port: 0, address: '127.0.0.1' },
          timeouts,
        }),
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it(
    'closes gracefully: in-flight requests finish, new ones are refused, idle sockets close',
    { timeout: 20_000 },
    async () => {
      const api = slowApp();
      const servers = await startHttpServers({
        apiApp: api.app,
        healthApp: slowApp().app,
        api: { port: 0, address: '127.0.0.1' },
        health: { port: 0, address: '127.0.0.1' },
        timeouts,
        closeDeadlineMs: 60_000,
      });
      const keepAlive = new Agent({ keepAlive: true });
      try {
        // An idle keep-alive connection to the health listener.
        assert.equal((await get(`${servers.healthUrl}/x`, keepAlive)).status, 200);
        const inFlight = get(`${servers.apiUrl}/slow`, keepAlive);
        await api.arrived;
        let closed = false;
        const closing = servers.close().then(() => (closed = true));
        await assert.rejects(get(`${servers.apiUrl}/new`, false), /ECONNREFUSED/);
        assert.equal(closed, false, 'close waits for the in-flight request');
        api.release();
        const answer = await inFlight;
        assert.equal(answer.status, 200);
        assert.equal(answer.body, '{"path":"/slow"}');
        // Resolves although the idle timeout is a minute: idle keep-alive sockets were closed.
        await closing;
      } finally {
        keepAlive.destroy();
      }
    },
  );
});
