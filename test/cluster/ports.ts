import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/**
 * Where the kernel's ephemeral ports begin (`listen(0)` and the source port of every outgoing
 * connection come from there): a port picked inside that range and bound later, by a server
 * started after other servers, can meanwhile be taken as some connection's source port (seen in
 * CI: an agent's API port, picked before its cluster started, was EADDRINUSE when the agent bound it).
 */
function ephemeralStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 20_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const FIRST = 20_000;
const END = ephemeralStart();

/** Whether 127.0.0.1:`port` can be bound now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port that was free on 127.0.0.1 a moment ago, below the ephemeral range, so nothing but
 * another explicit bind can take it before the caller binds it (picked at random: two files'
 * picks rarely meet, and a bound one is skipped).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (END - FIRST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${FIRST} and ${END - 1} after 200 tries`);
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
