// The two listeners: the API (127.0.0.1 in the shipped manifests, reached by port-forward) and
// health/metrics (0.0.0.0, for probes and scrapers). Closing is graceful: stop accepting, let
// in-flight requests finish (their sockets are then closed rather than kept alive), close idle
// keep-alive sockets at once, and cut what is still open after a deadline.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface Listen {
  port: number;
  address: string;
}

export interface ServerTimeouts {
  /** Time allowed to receive a whole request (headers and body). */
  readMs: number;
  /** Socket inactivity allowed while a response is being produced and written. */
  writeMs: number;
  /** How long an idle keep-alive connection stays open. */
  idleMs: number;
}

export interface HttpServersOptions {
  apiApp: Koa;
  healthApp: Koa;
  api: Listen;
  health: Listen;
  timeouts: ServerTimeouts;
  /** Cut connections still open this long after close() began (default 10 s). */
  closeDeadlineMs?: number;
}

export interface HttpServers {
  apiUrl: string;
  healthUrl: string;
  close(): Promise<void>;
}

interface GracefulServer {
  server: Server;
  close(deadlineMs: number): Promise<void>;
}

function graceful(app: Koa, timeouts: ServerTimeouts): GracefulServer {
  const handler = app.callback();
  let closing = false;
  const server = createServer((req, res) => {
    // Once closing, answer what arrived but do not keep the connection alive afterwards.
    if (closing) res.setHeader('Connection', 'close');
    // A request that was in flight when closing began leaves an idle keep-alive socket behind.
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    // koa answers its own errors (ctx.onerror); the promise has nothing left to report.
    void handler(req, res);
  });
  // A request Node cannot parse (headers over its 16 KiB limit, a broken request line) never
  // reaches koa; answer it as every other refusal is answered, a JSON error, instead of Node's
  // bare status line or a reset. Reading on until the client is done avoids a reset that would
  // discard the answer while the client is still sending.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || socket.writableEnded) return socket.destroy();
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    const status = overflow ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      error: overflow ? 'request line and headers exceed the 16 KiB limit' : 'malformed HTTP request',
    });
    socket.on('data', () => undefined);
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  server.requestTimeout = timeouts.readMs;
  server.headersTimeout = Math.min(timeouts.readMs, 60_000);
  server.keepAliveTimeout = timeouts.idleMs;
  server.setTimeout(timeouts.writeMs);
  const close = (deadlineMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      closing = true;
      const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
      deadline.unref();
      server.close((err) => {
        clearTimeout(deadline);
        if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
        else resolve();
      });
      server.closeIdleConnections();
    });
  return { server, close };
}

function listen(server: Server, at: Listen): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.address, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve(`http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${addr.port}`);
    });
  });
}

/** Starts both listeners; port 0 picks a free port (the returned URLs carry the real one). */
export async function startHttpServers(opts: HttpServersOptions): Promise<HttpServers> {
  const api = graceful(opts.apiApp, opts.timeouts);
  const health = graceful(opts.healthApp, opts.timeouts);
  const deadline = opts.closeDeadlineMs ?? 10_000;
  const close = async (): Promise<void> => {
    await Promise.all([api.close(deadline), health.close(deadline)]);
  };
  try {
    const [apiUrl, healthUrl] = await Promise.all([
      listen(api.server, opts.api),
      listen(health.server, opts.health),
    ]);
    return { apiUrl, healthUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}
