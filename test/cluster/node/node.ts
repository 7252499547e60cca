// A real node next to the kwok node: containerd + runc + a bridge CNI + a kubelet, all state under
// the control plane's directory, registered to its API server. Images are imported, never pulled.
// stop() deletes the node's pods, stops the kubelet and containerd, and unmounts what they mounted.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaries } from '../binaries.ts';
import type { ControlPlane } from '../control-plane.ts';
import { waitFor } from '../process.ts';
import { startContainerd, stopContainerd, type Containerd } from './containerd.ts';
import type { NodeHost } from './host.ts';
import { startKubelet, type Kubelet } from './kubelet.ts';

const run = promisify(execFile);

export const REAL_NODE_NAME = 'driftguard-node-0';

export interface RealNode {
  name: string;
  host: NodeHost;
  /** Seconds from containerd's start to the node Ready. */
  readySeconds: number;
  /** Imports an image archive (docker-archive or OCI) into the node's containerd. */
  importImage(archive: string): Promise<void>;
  containerd: Containerd;
  kubelet: Kubelet;
  stop(): Promise<void>;
}

/** Mount points under `dir`, deepest first (kubelet's tmpfs volumes, containerd's rootfs overlays). */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

async function nodeReady(plane: ControlPlane, name: string): Promise<boolean> {
  const r = await plane.kubectl([
    'get',
    'node',
    name,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
  ]);
  return r.code === 0 && r.stdout.trim() === 'True';
}

export async function startRealNode(plane: ControlPlane, host: NodeHost): Promise<RealNode> {
  const started = Date.now();
  const dir = join(plane.dir, 'node');
  const bins = binaries();
  let containerd: Containerd | undefined;
  let kubelet: Kubelet | undefined;
  const stop = async (): Promise<void> => {
    if (kubelet) {
      // Pods first, so the kubelet tears their sandboxes (and networks) down itself.
      await plane
        .kubectl([
          'delete',
          'pods',
          '-A',
          '--field-selector',
          `spec.nodeName=${REAL_NODE_NAME}`,
          '--wait=true',
          '--timeout=30s',
        ])
        .catch(() => undefined);
      await kubelet.server.stop();
    }
    if (containerd) await stopContainerd(containerd);
    for (const m of mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => undefined);
  };
  try {
    containerd = await startContainerd(dir, host, bins.pauseImage);
    await containerd.importImage(bins.pauseArchive);
    kubelet = await startKubelet({
      parent: dir,
      host,
      kubeconfig: plane.kubeconfig,
      runtimeSocket: containerd.socket,
      nodeName: REAL_NODE_NAME,
    });
    await waitFor(
      `real node ${REAL_NODE_NAME}`,
      kubelet.server,
      () => nodeReady(plane, REAL_NODE_NAME),
      120_000,
    );
    const c = containerd;
    return {
      name: REAL_NODE_NAME,
      host,
      readySeconds: (Date.now() - started) / 1000,
      importImage: (archive) => c.importImage(archive),
      containerd: c,
      kubelet,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
