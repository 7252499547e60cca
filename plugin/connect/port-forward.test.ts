import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { PortForward } from '@kubernetes/client-node';
import { pipe, probe } from './port-forward.ts';

const target = { namespace: 'driftguard', pod: 'agent-0', port: 8080 };

/** A port-forward whose stream opens only when `open()` is called, and records whether it was closed. */
function slowForward(): {
  pf: Pick<PortForward, 'portForward'>;
  open: () => Promise<void>;
  closed: () => boolean;
} {
  let closed = false;
  let resolve: (ws: unknown) => void = () => undefined;
  const opening = new Promise<unknown>((r) => {
    resolve = r;
  });
  const pf = { portForward: () => opening } as unknown as Pick<PortForward, 'portForward'>;
  return {
    pf,
    open: async () => {
      resolve({
        close: () => {
          closed = true;
        },
      });
      await opening;
      await new Promise((r) => setImmediate(r));
    },
    closed: () => closed,
  };
}

describe('port-forward connection piping', () => {
  it('closes the stream when the connection closes', async () => {
    const f = slowForward();
    const socket = new Socket();
    pipe(f.pf, target, socket);
    await f.open();
    assert.equal(f.closed(), false);
    socket.destroy();
    await new Promise((r) => setImmediate(r));
    assert.equal(f.closed(), true);
  });

  it('closes a stream that opens after its connection has already gone', async () => {
    const f = slowForward();
    const socket = new Socket();
    pipe(f.pf, target, socket);
    socket.destroy();
    await new Promise((r) => setImmediate(r));
    await f.open();
    assert.equal(f.closed(), true);
  });

  it('a probe stream that opens after the deadline is still closed', async () => {
    const f = slowForward();
    await assert.rejects(
      probe(f.pf, target, 10),
      /cannot port-forward to pod driftguard\/agent-0 port 8080: the port-forward did not open within/,
    );
    await f.open();
    assert.equal(f.closed(), true);
  });
});
