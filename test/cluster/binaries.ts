// Where the test servers built by build.sh live. The build writes binaries.json into the cache;
// a missing file means the build has not run (npm test and npm run demo run it first).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Binaries {
  kubectl: string;
  kubeApiserver: string;
  etcd: string;
  ferretdb: string;
  krew: string;
  kubernetesVersion: string;
}

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
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Binaries;
  for (const [name, path] of Object.entries(parsed)) {
    if (name !== 'kubernetesVersion' && !existsSync(path)) {
      throw new Error(`test binary ${name} missing at ${path}: run 'npm run build:binaries'`);
    }
  }
  cached = parsed;
  return parsed;
}
