// Can this machine run a real node (a kubelet with containerd and runc), and with which of its
// quirks? Every answer is detected here, never assumed; a host that cannot run one gets the reason
// (the real-node suites print it when they skip).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { binaries } from '../binaries.ts';

export interface NodeHost {
  containerd: string;
  ctr: string;
  runc: string;
  /** The directory holding the CNI plugins (bridge, host-local, portmap). */
  cniBin: string;
  kubelet: string;
  /** The address the node registers with: the default route's, since a kubelet refuses loopback. */
  nodeIp: string;
  /** cgroup v1 (or hybrid): kubelet 1.37 then needs failCgroupV1: false. */
  cgroupV1: boolean;
  /**
   * Root without CAP_SYS_RESOURCE cannot lower a process's oom_score_adj: runc's `nsexec` fails on
   * the kubelet's -998 for the pod sandbox unless containerd restricts it (restrict_oom_score_adj).
   */
  restrictOomScoreAdj: boolean;
}

export type HostCheck = { ok: true; host: NodeHost } | { ok: false; reason: string };

const CNI_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];
const CAP_SYS_RESOURCE = 24n;

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The IPv4 address of the interface the default route leaves through. */
function defaultRouteIp(): string | undefined {
  let iface: string | undefined;
  try {
    const routes = readFileSync('/proc/net/route', 'utf8').trim().split('\n').slice(1);
    iface = routes.map((l) => l.split(/\s+/)).find((f) => f[1] === '00000000')?.[0];
  } catch {
    return undefined;
  }
  return networkInterfaces()[iface ?? '']?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
}

function hasCapability(bit: bigint): boolean {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CapEff:'));
  return line ? ((BigInt(`0x${line.split(/\s+/)[1]}`) >> bit) & 1n ? true : false) : false;
}

export function checkNodeHost(): HostCheck {
  if (process.platform !== 'linux')
    return { ok: false, reason: `a real node needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'a real node needs root (kubelet, containerd, runc)' };
  const tools = { containerd: onPath('containerd'), ctr: onPath('ctr'), runc: onPath('runc') };
  const missing = Object.entries(tools)
    .filter(([, p]) => !p)
    .map(([n]) => n);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `${missing.join(', ')} not on PATH (Debian: apt-get install containerd runc)`,
    };
  }
  const cniBin = CNI_DIRS.find((d) => ['bridge', 'host-local'].every((p) => existsSync(join(d, p))));
  if (!cniBin) {
    return {
      ok: false,
      reason: 'no CNI bridge plugin (Debian: apt-get install containernetworking-plugins)',
    };
  }
  let kubelet: string;
  try {
    kubelet = binaries().kubelet;
    if (!kubelet) throw new Error("no kubelet in binaries.json: run 'npm run build:binaries'");
  } catch (err) {
    return { ok: false, reason: `kubelet not built: ${(err as Error).message}` };
  }
  const nodeIp = defaultRouteIp();
  if (!nodeIp) return { ok: false, reason: 'no non-loopback IPv4 address on the default route for the node' };
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    return { ok: false, reason: 'no memory cgroup mounted under /sys/fs/cgroup' };
  }
  return {
    ok: true,
    host: {
      containerd: tools.containerd!,
      ctr: tools.ctr!,
      runc: tools.runc!,
      cniBin,
      kubelet,
      nodeIp,
      cgroupV1: !existsSync('/sys/fs/cgroup/cgroup.controllers'),
      restrictOomScoreAdj: !hasCapability(CAP_SYS_RESOURCE),
    },
  };
}
