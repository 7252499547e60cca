// A real Kubernetes control plane for tests: etcd + kube-apiserver on free loopback ports, RBAC
// on, token users for an admin and an unprivileged user, an admin kubeconfig in a temp dir.
// No controllers or kubelet run: nothing schedules Pods, nothing garbage-collects. The full
// cluster (cluster.ts) starts this plane with the ServiceAccount admission plugin on and adds the
// controllers, the scheduler and a kwok node; tests that only need the API use this bare plane.
import { execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from './binaries.ts';
import { freePort } from './ports.ts';
import { startServer, waitFor, type Server } from './process.ts';

export const ADMIN_TOKEN = 'driftguard-admin-token';
/** A user with no RBAC bindings: everything it tries is forbidden until a test grants it. */
export const VIEWER_TOKEN = 'driftguard-viewer-token';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ControlPlane {
  server: string;
  /** etcd's client URL (plain HTTP on loopback; its gRPC gateway serves /v3/kv/* as JSON). */
  etcdUrl: string;
  /** The API server's secure port on 127.0.0.1. */
  port: number;
  dir: string;
  /** The API server's self-signed serving certificate (with its CA): the cluster's root CA. */
  caFile: string;
  /** The RSA key that signs and verifies service-account tokens. */
  serviceAccountKey: string;
  kubeconfig: string;
  /** A kubeconfig for the unprivileged user `viewer`. */
  viewerKubeconfig: string;
  /** A kubeconfig for a user the plane was started with (ControlPlaneOptions.users). */
  userKubeconfig(name: string): string;
  /** The audit log file, when ControlPlaneOptions.audit.log asked for one. */
  auditLog: string | null;
  /** Runs the built kubectl against this plane; never throws on a non-zero exit. */
  kubectl(args: string[], opts?: { input?: string; kubeconfig?: string }): Promise<KubectlResult>;
  /** Like kubectl() but throws with stderr on a non-zero exit. */
  kubectlOk(args: string[], opts?: { input?: string; kubeconfig?: string }): Promise<string>;
  /** Stops kube-apiserver (every watch breaks), waits `downMs`, starts it again on the same port and etcd. */
  restartApiServer(downMs?: number): Promise<void>;
  /** The running kube-apiserver's process id (its RSS is a bench figure). */
  apiServerPid(): number | undefined;
  stop(): Promise<void>;
}

/** A token user's kubeconfig for `server`, its context in `namespace`. */
export function kubeconfigYaml(server: string, user: string, token: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: local',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: local',
    '  context:',
    '    cluster: local',
    `    user: ${user}`,
    `    namespace: ${namespace}`,
    'current-context: local',
    '',
  ].join('\n');
}

function readyz(server: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `${server}/readyz`,
      { rejectUnauthorized: false, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function etcdHealthy(url: string): Promise<boolean> {
  return fetch(`${url}/health`).then(
    (r) => r.ok,
    () => false,
  );
}

export function runKubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
  running?: Set<ChildProcess>,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      binaries().kubectl,
      ['--kubeconfig', kubeconfig, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        running?.delete(child);
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    running?.add(child);
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/**
 * Ends the kubectl commands still running (a stop in the middle of a step: kubectl waits on a
 * server that is going away, and would outlive whoever started it).
 */
async function endKubectls(running: Set<ChildProcess>): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * kubectl() and kubectlOk() (see ControlPlane) with `kubeconfig` as their default; with `running`,
 * each command is in it while it runs.
 */
export function kubectlFor(
  kubeconfig: string,
  running?: Set<ChildProcess>,
): Pick<ControlPlane, 'kubectl' | 'kubectlOk'> {
  const kubectl = (args: string[], opts?: { input?: string; kubeconfig?: string }) =>
    runKubectl(opts?.kubeconfig ?? kubeconfig, args, opts?.input, running);
  const kubectlOk = async (args: string[], opts?: { input?: string; kubeconfig?: string }) => {
    const r = await kubectl(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  };
  return { kubectl, kubectlOk };
}

export interface ControlPlaneOptions {
  /**
   * Keep the ServiceAccount admission plugin on (a real cluster's default). Only with a
   * controller manager running: it creates the `default` ServiceAccount pods need.
   */
  serviceAccountAdmission?: boolean;
  /** More token users (--token-auth-file lines), e.g. people whose writes the audit names. */
  users?: TokenUser[];
  /** Audit: a policy and where the events go (the webhook backend and/or a log file). */
  audit?: AuditOptions;
  /** More kube-apiserver flags (e.g. `--feature-gates=WatchList=false`). */
  apiServerArgs?: string[];
}

export interface TokenUser {
  name: string;
  token: string;
  groups?: string[];
}

export interface AuditOptions {
  /** The audit.k8s.io/v1 Policy, as YAML. */
  policy: string;
  /** The webhook backend's URL (an agent's POST /api/v1/audit); it may start later (batches are retried). */
  webhookUrl?: string;
  /** batch (the API server's default) or blocking. */
  webhookMode?: 'batch' | 'blocking';
  /** Also write the events to <dir>/audit.log (ControlPlane.auditLog). */
  log?: boolean;
}

/** The API server flags for `audit`, with the files they name written into `dir`. */
function auditArgs(dir: string, audit: AuditOptions | undefined): string[] {
  if (!audit) return [];
  const policy = join(dir, 'audit-policy.yaml');
  writeFileSync(policy, audit.policy);
  const args = [`--audit-policy-file=${policy}`];
  if (audit.log) args.push(`--audit-log-path=${join(dir, 'audit.log')}`, '--audit-log-format=json');
  if (audit.webhookUrl) {
    const config = join(dir, 'audit-webhook.kubeconfig');
    writeFileSync(
      config,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: audit',
        `  cluster: { server: ${JSON.stringify(audit.webhookUrl)} }`,
        'contexts:',
        '- name: audit',
        '  context: { cluster: audit, user: audit }',
        'current-context: audit',
        'users:',
        '- name: audit',
        '  user: {}',
        '',
      ].join('\n'),
    );
    const mode = audit.webhookMode ?? 'batch';
    args.push(`--audit-webhook-config-file=${config}`, `--audit-webhook-mode=${mode}`);
    // A short batch wait so a test sees its events within a second (the default waits up to 30 s).
    if (mode === 'batch') args.push('--audit-webhook-batch-max-wait=200ms');
  }
  return args;
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bins = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-plane-'));
  const servers: Server[] = [];
  const kubectls = new Set<ChildProcess>();
  const stop = async (): Promise<void> => {
    await endKubectls(kubectls);
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    mkdirSync(join(dir, 'etcd'));
    const etcd = startServer(
      bins.etcd,
      [
        '--data-dir',
        join(dir, 'etcd'),
        '--listen-client-urls',
        etcdUrl,
        '--listen-peer-urls',
        `http://127.0.0.1:${etcdPeer}`,
      ],
      join(dir, 'etcd.log'),
    );
    servers.push(etcd);
    await waitFor('etcd', etcd, () => etcdHealthy(etcdUrl), 30_000);

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = join(dir, 'sa.pem');
    writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const tokens = join(dir, 'tokens.csv');
    writeFileSync(
      tokens,
      `${ADMIN_TOKEN},admin,admin-uid,"system:masters"\n${VIEWER_TOKEN},viewer,viewer-uid\n` +
        (opts.users ?? [])
          .map((u) => `${u.token},${u.name},${u.name}-uid${u.groups ? `,"${u.groups.join(',')}"` : ''}\n`)
          .join(''),
    );
    const apiArgs = [
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${join(dir, 'certs')}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      // kwok's node names no resolvable host: reach kubelets (kwok) by the node's InternalIP.
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      // A realistic range: a /24 holds only ~250 Services ("range is full" past that).
      '--service-cluster-ip-range=10.96.0.0/12',
      '--authorization-mode=RBAC',
      `--token-auth-file=${tokens}`,
      ...(opts.serviceAccountAdmission ? [] : ['--disable-admission-plugins=ServiceAccount']),
      '--allow-privileged=true',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      ...auditArgs(dir, opts.audit),
      '--v=0',
      ...(opts.apiServerArgs ?? []),
    ];
    const server = `https://127.0.0.1:${apiPort}`;
    const startApi = async (): Promise<Server> => {
      const api = startServer(bins.kubeApiserver, apiArgs, join(dir, 'kube-apiserver.log'));
      servers.push(api);
      await waitFor('kube-apiserver', api, () => readyz(server), 90_000);
      return api;
    };
    let api = await startApi();
    const restartApiServer = async (downMs = 0): Promise<void> => {
      await api.stop();
      servers.splice(servers.indexOf(api), 1);
      await new Promise((r) => setTimeout(r, downMs));
      api = await startApi();
    };

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(server, 'admin', ADMIN_TOKEN));
    const viewerKubeconfig = join(dir, 'viewer.kubeconfig');
    writeFileSync(viewerKubeconfig, kubeconfigYaml(server, 'viewer', VIEWER_TOKEN));
    const userKubeconfigs = new Map<string, string>();
    for (const [i, u] of (opts.users ?? []).entries()) {
      const file = join(dir, `user-${i}.kubeconfig`);
      writeFileSync(file, kubeconfigYaml(server, u.name, u.token));
      userKubeconfigs.set(u.name, file);
    }
    const userKubeconfig = (name: string): string => {
      const file = userKubeconfigs.get(name);
      if (!file) throw new Error(`no user ${name}: pass it in ControlPlaneOptions.users`);
      return file;
    };

    const { kubectl, kubectlOk } = kubectlFor(kubeconfig, kubectls);
    const caFile = join(dir, 'certs', 'apiserver.crt');
    return {
      server,
      etcdUrl,
      port: apiPort,
      dir,
      caFile,
      serviceAccountKey: saKey,
      kubeconfig,
      viewerKubeconfig,
      userKubeconfig,
      auditLog: opts.audit?.log ? join(dir, 'audit.log') : null,
      kubectl,
      kubectlOk,
      restartApiServer,
      apiServerPid: () => api.child.pid,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
