// The real node's container runtime: Debian's containerd (1.6) with runc, its socket, state, root
// and CNI configuration all under the test's own directory, so it shares nothing with any other
// containerd on the machine. Images come in through `ctr images import`; nothing is pulled (the
// sandbox image is the harness's own pause image).
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, waitFor, type Server } from '../process.ts';
import type { NodeHost } from './host.ts';

const run = promisify(execFile);

export interface Containerd {
  server: Server;
  socket: string;
  /** The Linux bridge the CNI plugin creates for this node's pods (removed on stop). */
  bridge: string;
  /** `ctr -n k8s.io ...` against this containerd; throws with stderr on failure. */
  ctr(args: string[]): Promise<string>;
  importImage(archive: string): Promise<void>;
}

function config(dir: string, host: NodeHost, sandboxImage: string): string {
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
[grpc]
  address = "${dir}/containerd.sock"
[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # Port-forward and exec streams: loopback, a free port (10010 may be another node's).
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  disable_tcp_service = true
  # Root here may lack CAP_SYS_RESOURCE (host.ts): never ask runc for a lower oom_score_adj.
  restrict_oom_score_adj = ${host.restrictOomScoreAdj}
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "${host.runc}"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${host.cniBin}"
    conf_dir = "${dir}/cni"
`;
}

/** A bridge network for the node's non-hostNetwork pods; the name and subnet are this process's. */
function cniConfig(dir: string, bridge: string): string {
  const subnet = `10.${90 + (process.pid % 60)}.${Math.floor(process.pid / 60) % 250}.0/24`;
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'driftguard',
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        ipMasq: false,
        ipam: { type: 'host-local', ranges: [[{ subnet }]], dataDir: join(dir, 'ipam') },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  });
}

export async function startContainerd(
  parent: string,
  host: NodeHost,
  sandboxImage: string,
): Promise<Containerd> {
  const dir = join(parent, 'containerd');
  mkdirSync(join(dir, 'cni'), { recursive: true });
  const file = join(dir, 'config.toml');
  writeFileSync(file, config(dir, host, sandboxImage));
  const bridge = `dg${process.pid % 1_000_000}`;
  writeFileSync(join(dir, 'cni', '10-driftguard.conflist'), cniConfig(dir, bridge));
  const socket = join(dir, 'containerd.sock');
  const server = startServer(host.containerd, ['--config', file], join(parent, 'containerd.log'));
  const ctr = async (args: string[]): Promise<string> => {
    try {
      return (await run(host.ctr, ['--address', socket, '-n', 'k8s.io', ...args], { maxBuffer: 16 << 20 }))
        .stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`ctr ${args.join(' ')}: ${e.stderr?.trim() || e.message}`, { cause: err });
    }
  };
  await waitFor('containerd', server, async () => (await ctr(['version']), true), 30_000);
  const importImage = async (archive: string): Promise<void> => {
    await ctr(['images', 'import', archive]);
  };
  return { server, socket, bridge, ctr, importImage };
}

/**
 * Kills what the kubelet left running (containers and sandboxes), stops containerd and removes the
 * bridge; mounts under `parent` are the caller's (node.ts unmounts them after).
 */
export async function stopContainerd(c: Containerd): Promise<void> {
  const ids = (await c.ctr(['tasks', 'ls', '-q']).catch(() => '')).split('\n').filter(Boolean);
  for (const id of ids) await c.ctr(['tasks', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
  for (const id of ids) await c.ctr(['tasks', 'delete', '-f', id]).catch(() => undefined);
  await c.server.stop();
  // A shim outlives containerd by design (containers survive a containerd restart); ours go too.
  for (const pid of shimsOf(c.socket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await run('ip', ['link', 'del', c.bridge]).catch(() => undefined);
}

/** The containerd-shim processes serving the containerd at `socket` (their -address names it). */
function shimsOf(socket: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string[];
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (cmd[0]?.includes('containerd-shim') && cmd[cmd.indexOf('-address') + 1] === socket)
      pids.push(Number(entry));
  }
  return pids;
}
