// A small real cluster on one machine: the control plane (etcd + kube-apiserver) plus
// kube-controller-manager, kube-scheduler and one kwok node, so that what a real cluster writes by
// itself (ReplicaSets, revision annotations, `default` ServiceAccounts, `kube-root-ca.crt`,
// Endpoints and EndpointSlices, HPA corrections, Pods scheduled and Running) happens in tests too.
// kwok's kubelet-like server also serves port-forward: forwardPod() routes a pod's port to a local
// process, so `kubectl port-forward` and the plugin carry real bytes through kube-apiserver.
import { mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { binaries } from './binaries.ts';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.ts';
import { checkNodeHost } from './node/host.ts';
import { startRealNode, type RealNode } from './node/node.ts';
import { freePort } from './ports.ts';
import { startServer, waitFor, type Server } from './process.ts';

export const NODE_NAME = 'kwok-node-0';

export interface PodTarget {
  /** A pod name, or a label selector (`app=web`) resolved to the pods matching it now. */
  pod?: string;
  selector?: string;
}

/** What the full cluster's control plane takes besides the defaults (token users, audit), and a real node. */
export interface ClusterOptions extends Pick<ControlPlaneOptions, 'users' | 'audit'> {
  /**
   * Also run a real node (node/node.ts: kubelet, containerd, runc, bridge CNI) registered next to
   * the kwok node; kwok then manages only the nodes annotated as its own. Throws with the reason
   * when this host cannot run one (checkNodeHost() says so beforehand, for a skip).
   */
  realNode?: boolean;
}

export interface Cluster extends ControlPlane {
  nodeName: string;
  /** The real node, when startCluster({ realNode: true }) started one. */
  realNode?: RealNode;
  /** Seconds from the first process started to a Ready node. */
  startSeconds: number;
  /**
   * Routes `port` of the matching pods in `namespace` to `target` on this machine (a port on
   * 127.0.0.1, or host+port). kwok picks the rule up from its watch within moments.
   */
  forwardPod(
    namespace: string,
    pod: string | PodTarget,
    port: number,
    target: number | LocalTarget,
  ): Promise<void>;
  /** Waits until every Deployment in `namespace` has all its replicas available. */
  waitForDeployments(namespace: string, timeoutMs?: number): Promise<void>;
  /**
   * Waits until the controllers have acted on everything in `namespaces`: each Deployment has its
   * revision annotation and an observed generation, each HPA has been reconciled (its conditions
   * written), each Service with a selector has an EndpointSlice. Lists what is still pending on
   * timeout.
   */
  settle(namespaces: string[], timeoutMs?: number): Promise<void>;
}

interface Listed {
  items: {
    kind: string;
    metadata: { name: string; namespace: string; generation?: number; annotations?: Record<string, string> };
    spec?: { selector?: unknown };
    status?: { observedGeneration?: number; conditions?: unknown[] };
  }[];
}

/** What the controllers have not yet written, as `Kind ns/name: what` lines. */
async function unsettled(plane: ControlPlane, namespaces: Set<string>): Promise<string[]> {
  const out = JSON.parse(
    await plane.kubectlOk([
      'get',
      'deployments.apps,horizontalpodautoscalers.autoscaling,services',
      '-A',
      '-o',
      'json',
    ]),
  ) as Listed;
  const slices = JSON.parse(
    await plane.kubectlOk(['get', 'endpointslices.discovery.k8s.io', '-A', '-o', 'json']),
  ) as {
    items: { metadata: { namespace: string; labels?: Record<string, string> } }[];
  };
  const sliced = new Set(
    slices.items.map(
      (s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`,
    ),
  );
  const pending: string[] = [];
  for (const o of out.items) {
    const { name, namespace } = o.metadata;
    if (!namespaces.has(namespace)) continue;
    const id = `${o.kind} ${namespace}/${name}`;
    if (o.kind === 'Deployment') {
      if (!o.metadata.annotations?.['deployment.kubernetes.io/revision']) pending.push(`${id}: no revision`);
      else if ((o.status?.observedGeneration ?? 0) < (o.metadata.generation ?? 0))
        pending.push(`${id}: not observed`);
    } else if (o.kind === 'HorizontalPodAutoscaler') {
      if (!o.status?.conditions?.length) pending.push(`${id}: not reconciled`);
    } else if (o.kind === 'Service' && o.spec?.selector && !sliced.has(`${namespace}/${name}`)) {
      pending.push(`${id}: no EndpointSlice`);
    }
  }
  return pending;
}

export interface LocalTarget {
  host: string;
  port: number;
}

/** Anonymous GET of a component's /healthz over its self-signed HTTPS port. */
function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `https://127.0.0.1:${port}/healthz`,
      { rejectUnauthorized: false, timeout: 2000 },
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

function nodeManifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '500' },
      capacity: { cpu: '32', memory: '256Gi', pods: '500' },
    },
  });
}

/** Starts the controller manager, the scheduler and kwok against `plane`; returns them started. */
async function startComponents(plane: ControlPlane, kwokOwnNodesOnly: boolean): Promise<Server[]> {
  const bins = binaries();
  const common = (port: number) => [
    `--kubeconfig=${plane.kubeconfig}`,
    `--authentication-kubeconfig=${plane.kubeconfig}`,
    `--authorization-kubeconfig=${plane.kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    '--v=0',
  ];
  const [kcmPort, schedPort, kwokPort] = [await freePort(), await freePort(), await freePort()];
  const kcm = startServer(
    bins.kubeControllerManager,
    [
      ...common(kcmPort),
      `--root-ca-file=${plane.caFile}`,
      `--service-account-private-key-file=${plane.serviceAccountKey}`,
      `--cert-dir=${join(plane.dir, 'kcm-certs')}`,
      '--use-service-account-credentials=false',
      // Fast enough for tests: HPAs reconcile every 2 s instead of 15 s.
      '--horizontal-pod-autoscaler-sync-period=2s',
    ],
    join(plane.dir, 'kube-controller-manager.log'),
  );
  const scheduler = startServer(
    bins.kubeScheduler,
    [...common(schedPort), `--cert-dir=${join(plane.dir, 'scheduler-certs')}`],
    join(plane.dir, 'kube-scheduler.log'),
  );
  // kwok watches ClusterPortForward objects, so its CRD must exist before it starts.
  await plane.kubectlOk(['apply', '-f', bins.kwokPortForwardCrd]);
  await plane.kubectlOk([
    'wait',
    '--for=condition=Established',
    'crd/clusterportforwards.kwok.x-k8s.io',
    '--timeout=60s',
  ]);
  const workdir = join(plane.dir, 'kwok');
  mkdirSync(workdir, { recursive: true });
  const kwok = startServer(
    bins.kwok,
    [
      `--kubeconfig=${plane.kubeconfig}`,
      // With a real node, kwok must leave it alone: it takes only the nodes nodeManifest() annotates.
      ...(kwokOwnNodesOnly
        ? ['--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake']
        : ['--manage-all-nodes=true']),
      '--node-ip=127.0.0.1',
      `--node-name=${NODE_NAME}`,
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
      // Pod IPs outside the Service range (10.96.0.0/12).
      '--cidr=10.244.0.0/16',
      `--config=${bins.kwokStages}`,
      '--enable-crds=ClusterPortForward',
      // Without a lease the node controller marks the node unreachable after ~50 s and every
      // Pod on it NotReady (kwok's default leaves leases off when no kwok config file sets it).
      '--node-lease-duration-seconds=40',
    ],
    join(plane.dir, 'kwok.log'),
    { env: { ...process.env, KWOK_WORKDIR: workdir } },
  );
  const servers = [kcm, scheduler, kwok];
  await waitFor('kube-controller-manager', kcm, () => healthz(kcmPort), 90_000);
  await waitFor('kube-scheduler', scheduler, () => healthz(schedPort), 90_000);
  return servers;
}

async function waitNodeReady(plane: ControlPlane, kwok: Server, name: string): Promise<void> {
  await waitFor(
    `kwok node ${name}`,
    kwok,
    async () => {
      const r = await plane.kubectl([
        'get',
        'node',
        name,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return r.code === 0 && r.stdout.trim() === 'True';
    },
    60_000,
  );
}

/** The `default` ServiceAccount appears once the controllers run; pods need it with admission on. */
async function waitDefaultServiceAccount(plane: ControlPlane, kcm: Server): Promise<void> {
  await waitFor(
    'the default ServiceAccount',
    kcm,
    async () => (await plane.kubectl(['-n', 'default', 'get', 'serviceaccount', 'default'])).code === 0,
    60_000,
  );
}

let forwards = 0;

/** The pods `target` names now: its pod, or those matching its selector (at least one). */
export async function podNames(plane: ControlPlane, namespace: string, target: PodTarget): Promise<string[]> {
  if (target.pod) return [target.pod];
  const out = await plane.kubectlOk([
    '-n',
    namespace,
    'get',
    'pods',
    '-l',
    target.selector ?? '',
    '-o',
    'jsonpath={.items[*].metadata.name}',
  ]);
  const names = out.split(/\s+/).filter(Boolean);
  if (names.length === 0) throw new Error(`no pod in ${namespace} matches ${target.selector}`);
  return names;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const started = Date.now();
  const { realNode: wantsRealNode, ...planeOpts } = opts;
  const nodeHost = wantsRealNode ? checkNodeHost() : undefined;
  if (nodeHost && !nodeHost.ok) throw new Error(`cannot run a real node here: ${nodeHost.reason}`);
  const plane = await startControlPlane({ ...planeOpts, serviceAccountAdmission: true });
  const servers: Server[] = [];
  let realNode: RealNode | undefined;
  const stop = async (): Promise<void> => {
    // The real node's pods are deleted through the API server, so it goes first.
    if (realNode) await realNode.stop();
    for (const s of servers.reverse()) await s.stop();
    await plane.stop();
  };
  try {
    servers.push(...(await startComponents(plane, wantsRealNode === true)));
    const [kcm, , kwok] = servers as [Server, Server, Server];
    await plane.kubectlOk(['create', '-f', '-'], { input: nodeManifest(NODE_NAME) });
    await waitNodeReady(plane, kwok, NODE_NAME);
    await waitDefaultServiceAccount(plane, kcm);
    if (nodeHost?.ok) realNode = await startRealNode(plane, nodeHost.host);
    const startSeconds = (Date.now() - started) / 1000;

    const forwardPod: Cluster['forwardPod'] = async (namespace, pod, port, target) => {
      const names = await podNames(plane, namespace, typeof pod === 'string' ? { pod } : pod);
      const to = typeof target === 'number' ? { host: '127.0.0.1', port: target } : target;
      const rule = {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'ClusterPortForward',
        metadata: { name: `driftguard-test-forward-${process.pid}-${++forwards}` },
        spec: {
          selector: { matchNamespaces: [namespace], matchNames: names },
          forwards: [{ ports: [port], target: { address: to.host, port: to.port } }],
        },
      };
      await plane.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(rule) });
    };

    const waitForDeployments = async (namespace: string, timeoutMs = 120_000): Promise<void> => {
      await plane.kubectlOk([
        '-n',
        namespace,
        'wait',
        '--for=condition=Available',
        'deployment',
        '--all',
        `--timeout=${Math.round(timeoutMs / 1000)}s`,
      ]);
    };

    const settle = async (namespaces: string[], timeoutMs = 120_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      let pending = await unsettled(plane, new Set(namespaces));
      while (pending.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        pending = await unsettled(plane, new Set(namespaces));
      }
      if (pending.length > 0)
        throw new Error(`controllers have not acted within ${timeoutMs} ms:\n${pending.join('\n')}`);
    };

    return {
      ...plane,
      nodeName: NODE_NAME,
      ...(realNode ? { realNode } : {}),
      startSeconds,
      forwardPod,
      waitForDeployments,
      settle,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
