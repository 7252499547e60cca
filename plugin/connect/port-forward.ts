// A local port-forward to the agent pod through the API server (client-node PortForward): a
// net.Server on 127.0.0.1:<ephemeral> that pipes each accepted connection through its own
// port-forward stream. One probe stream is opened first, so a pod that cannot be forwarded to
// fails here with one clear line instead of as a hang-up on the first HTTP request.
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { CliError, oneLine } from '../errors.ts';
import { rbacHint } from './find-agent.ts';
import type { AgentTransport } from './transport.ts';

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  port: number;
  /** How long opening the forward may take before it counts as failed. */
  timeoutMs?: number;
}

interface Closable {
  close(): void;
}

function asClosable(ws: unknown): Closable | null {
  const v = typeof ws === 'function' ? (ws as () => unknown)() : ws;
  return v && typeof v === 'object' && 'close' in v && typeof v.close === 'function' ? (v as Closable) : null;
}

function describeFailure(err: unknown, t: PortForwardTarget): string {
  const target = `pod ${t.namespace}/${t.pod} port ${t.port}`;
  const msg =
    err instanceof Error
      ? err.message
      : typeof err === 'object' && err && 'message' in err
        ? String(err.message)
        : String(err);
  const status = /Unexpected server response: (\d+)/.exec(msg)?.[1];
  if (status === '403') return `forbidden: cannot port-forward to ${target} (${rbacHint(t.namespace)})`;
  if (status === '404')
    return `cannot port-forward to ${target}: the pod no longer exists; retry, or pass --agent-url`;
  if (status)
    return `cannot port-forward to ${target}: the API server answered ${status} (is the pod scheduled and its node reachable?); pass --agent-url to connect directly`;
  return `cannot port-forward to ${target}: ${oneLine(msg)}; pass --agent-url to connect directly`;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not open within ${Math.round(ms / 1000)}s`)), ms);
  });
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function probe(
  pf: Pick<PortForward, 'portForward'>,
  t: PortForwardTarget,
  timeoutMs: number,
): Promise<void> {
  const sink = new PassThrough();
  const input = new PassThrough();
  // Closed whenever it opens, even after the deadline: a late stream must not keep the process alive.
  const opened = pf
    .portForward(t.namespace, t.pod, [t.port], sink, sink, input)
    .then((ws) => asClosable(ws)?.close());
  try {
    await withTimeout(opened, timeoutMs, 'the port-forward');
  } catch (err) {
    throw new CliError(describeFailure(err, t));
  } finally {
    input.end();
    sink.destroy();
  }
}

/** Pipes one accepted connection through its own port-forward stream, closed with the connection. */
export function pipe(pf: Pick<PortForward, 'portForward'>, t: PortForwardTarget, socket: Socket): void {
  socket.on('error', () => socket.destroy());
  pf.portForward(t.namespace, t.pod, [t.port], socket, null, socket).then(
    (ws) => {
      const stream = asClosable(ws);
      // The client may have hung up while the stream was opening: then 'close' has already fired.
      if (socket.destroyed) stream?.close();
      else socket.once('close', () => stream?.close());
    },
    () => socket.destroy(),
  );
}

export async function openPortForward(kc: KubeConfig, t: PortForwardTarget): Promise<AgentTransport> {
  const pf = new PortForward(kc, true);
  await probe(pf, t, t.timeoutMs ?? 10_000);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    pipe(pf, t, socket);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
