// Chart repositories for the dependency tests, real and on loopback: charts written as files and
// packaged by the real `helm package`, an HTTP chart repository (index.yaml from `helm repo index`)
// served with basic auth by a Node server the test starts, and an OCI registry (Debian's
// docker-registry, distribution 2.8.2) charts are pushed to with `helm push`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { stringify } from 'yaml';
import { untilTrue } from '../kit/poll.ts';
// The kit's freePort picks below the ephemeral range: a registry's port picked with listen(0) and
// bound later by the child could meanwhile be taken as some connection's source port.
import { freePort, tcpOpen } from '../cluster/ports.ts';
import { renderBinaries } from './tools.ts';
import type { TestCert } from '../kit/self-signed-cert.ts';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** Why the OCI tests cannot run here, or null. */
export function registrySkipReason(): string | null {
  return existsSync(REGISTRY_BIN)
    ? null
    : `${REGISTRY_BIN} is absent (Debian: apt-get install docker-registry; .ci/run installs it)`;
}

/** The built helm with a HOME and helm directories of its own under `home`. */
export function helm(home: string, args: string[], cwd = home): Promise<string> {
  mkdirSync(home, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      renderBinaries().helm,
      args,
      {
        cwd,
        timeout: 120_000,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: home,
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_DATA_HOME: join(home, 'data'),
        },
      },
      (err, out, stderr) =>
        err ? reject(new Error(`helm ${args.join(' ')}: ${stderr || err.message}`)) : resolve(out),
    );
  });
}

export interface ChartDep {
  name: string;
  version: string;
  repository: string;
}

/** Writes a chart directory (Chart.yaml, templates, other files) and returns its path. */
export function writeChart(
  parent: string,
  name: string,
  version: string,
  files: Record<string, string | Buffer>,
  dependencies: ChartDep[] = [],
): string {
  const dir = join(parent, name);
  const chart = { apiVersion: 'v2', name, version, ...(dependencies.length ? { dependencies } : {}) };
  const all: Record<string, string | Buffer> = { 'Chart.yaml': stringify(chart), ...files };
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

/** A ConfigMap template named after the release, saying which chart and version made it. */
export function configMapTemplate(suffix: string, version: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${suffix}\ndata:\n  made-by: ${suffix}-${version}\n`;
}

export interface ChartRepo {
  /** `http://127.0.0.1:port/charts` */
  url: string;
  /** Request paths served (after auth), in order. */
  served: string[];
  /** Requests refused for want of credentials. */
  unauthorized: number;
  stop(): Promise<void>;
}

/**
 * Serves `dir` (packaged charts and the index.yaml `helm repo index --url` made) under /charts
 * with basic auth (none without a user); anything else under the server is served too, to tell
 * "not allowed" from "absent".
 */
export async function startChartRepo(dir: string, user?: string, password = ''): Promise<ChartRepo> {
  const expected = user ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : undefined;
  const repo: Omit<ChartRepo, 'url' | 'stop'> = { served: [], unauthorized: 0 };
  const server: Server = createServer((req, res) => {
    if (expected && req.headers.authorization !== expected) {
      repo.unauthorized++;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end();
      return;
    }
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path.replace(/^\/charts\//, '/'));
    if (!path.startsWith('/charts/') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    repo.served.push(path);
    const body = readFileSync(file);
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(repo, {
    url: `http://127.0.0.1:${port}/charts`,
    stop: () =>
      new Promise<void>((r) => {
        if (!server.listening) return r();
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

export interface Registry {
  /** `127.0.0.1:port` */
  host: string;
  stop(): Promise<void>;
}

/** A registry user and its htpasswd line (bcrypt, cost 4: made once with Python's crypt, a fixture). */
export const REGISTRY_USER = 'chart-pusher';
export const REGISTRY_PASSWORD = 'oci-pw-5d1c';
const REGISTRY_HTPASSWD = `${REGISTRY_USER}:$2b$04$VZ3wkwEWcYhc7PkVWagt1eDbpJlWT4X00JQVn8L.DPvIpzcUz/Fcm`;

/**
 * docker-registry on loopback over plain HTTP (`--plain-http`), its storage in a temp dir; with
 * `auth`, htpasswd basic auth for REGISTRY_USER (`helm registry login` before a push).
 */
export async function startRegistry(opts: { auth?: boolean; tls?: TestCert } = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  if (opts.auth) writeFileSync(join(dir, 'htpasswd'), `${REGISTRY_HTPASSWD}\n`);
  writeFileSync(
    config,
    stringify({
      version: 0.1,
      log: { level: 'error', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, 'data') } },
      http: {
        addr: `127.0.0.1:${port}`,
        secret: 'driftguard-test',
        ...(opts.tls ? { tls: { certificate: opts.tls.cert, key: opts.tls.key } } : {}),
      },
      ...(opts.auth ? { auth: { htpasswd: { realm: 'charts', path: join(dir, 'htpasswd') } } } : {}),
    }),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const host = `127.0.0.1:${port}`;
  // 401 is an answer too (htpasswd auth). A registry that never answers is stopped before the
  // error, so it cannot keep the test file's process open.
  await untilTrue(
    'docker-registry answers /v2/',
    () =>
      // Over TLS (a CA this process does not trust): an open port will do.
      opts.tls
        ? tcpOpen(port)
        : fetch(`http://${host}/v2/`).then(
            (r) => r.status === 200 || r.status === 401,
            () => false,
          ),
    { timeoutMs: 30_000, detail: () => stderr.slice(-500) },
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    host,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
