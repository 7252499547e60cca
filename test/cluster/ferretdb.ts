// A MongoDB-wire server for tests: FerretDB v1 on its SQLite backend, on a free loopback port,
// data in a temp dir removed on stop.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from './binaries.ts';
import { freePort, tcpOpen } from './ports.ts';
import { startServer, waitFor } from './process.ts';

export interface FerretDB {
  uri: string;
  port: number;
  /** SIGKILL, no shutdown (the data dir stays, as after a crash); start again with the same port and dir. */
  kill(): Promise<void>;
  /**
   * SIGSTOP / SIGCONT: a server that stops answering with its connections open (a hung host, a
   * network that drops packets), where a stopped one refuses them.
   */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function startFerretDB(opts: { port?: number; dir?: string } = {}): Promise<FerretDB> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'driftguard-ferretdb-'));
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const port = opts.port ?? (await freePort());
  const server = startServer(
    binaries().ferretdb,
    [
      `--sqlite-url=file:${data}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--log-level=warn',
      // FerretDB writes a state.json into its working directory: keep it in the temp dir.
    ],
    join(dir, 'ferretdb.log'),
    { cwd: dir },
  );
  const stopAll = async (): Promise<void> => {
    await server.stop();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('FerretDB', server, () => tcpOpen(port), 30_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const kill = async (): Promise<void> => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGKILL');
    await exited;
  };
  const thaw = (): void => void server.child.kill('SIGCONT');
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    port,
    kill,
    freeze: () => void server.child.kill('SIGSTOP'),
    thaw,
    // A frozen server never ends on SIGTERM.
    stop: async () => {
      thaw();
      await stopAll();
    },
  };
}
