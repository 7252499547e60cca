// Where the test servers built by build.sh live. The build writes binaries.json into the cache;
// a missing file means the build has not run (npm test and npm run demo run it first).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Binaries {
  kubectl: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  etcd: string;
  ferretdb: string;
  krew: string;
  kwok: string;
  /** kwok's own stage files (nodes Ready with a lease heartbeat, pods Running), one YAML stream. */
  kwokStages: string;
  /** The ClusterPortForward CRD from kwok's module. */
  kwokPortForwardCrd: string;
  kustomize: string;
  kustomizeVersion: string;
  helm: string;
  helmVersion: string;
  promtool: string;
  /** The real node's kubelet (test/cluster/node). */
  kubelet: string;
  /** The sandbox image containerd is configured with, and its OCI archive (nothing is pulled). */
  pauseImage: string;
  pauseArchive: string;
  kubernetesVersion: string;
}

/** binaries.json entries that are versions, not paths. */
const VERSION_KEYS = new Set(['kubernetesVersion', 'kustomizeVersion', 'helmVersion', 'pauseImage']);

export function cacheDir(): string {
  const base = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return process.env['DRIFTGUARD_CACHE'] ?? join(base, 'driftguard');
}

let cached: Binaries | undefined;

export function binaries(): Binaries {
  if (cached) return cached;
  const file = join(cacheDir(), 'binaries.json');
  if (!existsSync(file)) {
    throw new Error(`test binaries not built (${file} missing): run 'npm run build:binaries'`);
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  // Checked when asked for: `build.sh demo` builds only what the demo needs.
  const out = {} as Binaries;
  for (const [name, path] of Object.entries(parsed)) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get() {
        if (!VERSION_KEYS.has(name) && !existsSync(path))
          throw new Error(`test binary ${name} missing at ${path}: run 'npm run build:binaries'`);
        return path;
      },
    });
  }
  cached = out;
  return out;
}
