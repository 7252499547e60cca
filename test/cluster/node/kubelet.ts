// The real node's kubelet (v1.37, built by build.sh from its own wrapper module) against the
// harness's API server. Test-only settings, each for a reason this harness has:
// - anonymous access with AlwaysAllow: the API server has no kubelet client certificate, and its
//   port-forward/exec/logs requests reach the kubelet as anonymous;
// - a taint: pods of other suites in the same cluster stay on the kwok node (the real node runs
//   only pods that tolerate it, e.g. the agent in test/image/overlay);
// - image GC and disk eviction off: imported images cannot be pulled back, and a busy shared disk
//   must not evict the agent;
// - cgroupfs (containerd 1.6 has no RuntimeConfig RPC to say which driver it uses), and on
//   cgroup v1 failCgroupV1: false.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../ports.ts';
import { startServer, type Server } from '../process.ts';
import type { NodeHost } from './host.ts';

export const REAL_NODE_TAINT = { key: 'driftguard.test/real-node', value: 'true', effect: 'NoSchedule' };

export interface Kubelet {
  server: Server;
  port: number;
  healthzPort: number;
}

export async function startKubelet(opts: {
  parent: string;
  host: NodeHost;
  kubeconfig: string;
  runtimeSocket: string;
  nodeName: string;
}): Promise<Kubelet> {
  const { parent, host } = opts;
  const dir = join(parent, 'kubelet');
  mkdirSync(dir, { recursive: true });
  const [port, healthzPort] = [await freePort(), await freePort()];
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: host.nodeIp,
    port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort,
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    cgroupDriver: 'cgroupfs',
    ...(host.cgroupV1 ? { failCgroupV1: false } : {}),
    containerRuntimeEndpoint: `unix://${opts.runtimeSocket}`,
    failSwapOn: false,
    registerWithTaints: [REAL_NODE_TAINT],
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '50Mi', 'nodefs.available': '0%', 'imagefs.available': '0%' },
    serializeImagePulls: false,
    resolvConf: '/etc/resolv.conf',
    fileCheckFrequency: '2s',
  };
  const file = join(dir, 'config.yaml');
  writeFileSync(file, stringify(config));
  const server = startServer(
    host.kubelet,
    [
      `--config=${file}`,
      `--kubeconfig=${opts.kubeconfig}`,
      `--root-dir=${join(dir, 'root')}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--hostname-override=${opts.nodeName}`,
      `--node-ip=${host.nodeIp}`,
      '--v=1',
    ],
    join(parent, 'kubelet.log'),
  );
  return { server, port, healthzPort };
}
