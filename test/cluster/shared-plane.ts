// One control plane for a whole run of the servers lane: `node --test --test-global-setup=<this>`
// starts it before the first test file and stops it after the last; the test files (child
// processes) find it through SHARED_PLANE_ENV, a JSON file with what a ControlPlane handle needs.
// Files that kill, restart or reconfigure servers start their own (startControlPlane). A file
// reaches the shared plane through test/kit/shared-cluster.ts, never directly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from './control-plane.ts';

export const SHARED_PLANE_ENV = 'DRIFTGUARD_SHARED_PLANE';

/** What a test file reads to reach the shared plane (the API server, etcd, the admin and viewer users). */
export interface PlaneInfo {
  server: string;
  etcdUrl: string;
  port: number;
  caFile: string;
  serviceAccountKey: string;
  kubeconfig: string;
  viewerKubeconfig: string;
}

/** The shared plane of this run, or null when none was started (the file runs alone). */
export function sharedPlaneInfo(): PlaneInfo | null {
  const file = process.env[SHARED_PLANE_ENV];
  if (!file) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as PlaneInfo;
}

let plane: ControlPlane | undefined;
let infoDir: string | undefined;

export async function globalSetup(): Promise<void> {
  const started = Date.now();
  try {
    plane = await startControlPlane();
  } catch (err) {
    // Not the whole lane's failure: each file then starts a plane of its own (and says why if it cannot).
    console.log(`# no shared control plane, each file starts its own: ${(err as Error).message}`);
    return;
  }
  infoDir = mkdtempSync(join(tmpdir(), 'driftguard-shared-plane-'));
  const info: PlaneInfo = {
    server: plane.server,
    etcdUrl: plane.etcdUrl,
    port: plane.port,
    caFile: plane.caFile,
    serviceAccountKey: plane.serviceAccountKey,
    kubeconfig: plane.kubeconfig,
    viewerKubeconfig: plane.viewerKubeconfig,
  };
  const file = join(infoDir, 'plane.json');
  writeFileSync(file, JSON.stringify(info));
  // The test runner starts each file's process with its own environment: this is how they find it.
  process.env[SHARED_PLANE_ENV] = file;
  console.log(`# shared control plane at ${plane.server} (${Date.now() - started} ms)`);
}

export async function globalTeardown(): Promise<void> {
  delete process.env[SHARED_PLANE_ENV];
  await plane?.stop();
  if (infoDir) rmSync(infoDir, { recursive: true, force: true });
}
