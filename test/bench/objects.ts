// The benchmark's objects: n objects over 10 namespaces, a quarter each Deployments, Services,
// ConfigMaps and Secrets, one file per object (so a Git change touches 1 of n files), and their
// server-side apply in parallel batches (far faster than one client-side apply of 10,000).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { KubeApiError, kubeRequest } from '../../shared/node/kube/rest.ts';
import type { ControlPlane } from '../cluster/control-plane.ts';

export const NAMESPACES = 10;
const KINDS = ['Deployment', 'Service', 'ConfigMap', 'Secret'] as const;
export type BenchKind = (typeof KINDS)[number];

export interface BenchObject {
  kind: BenchKind;
  namespace: string;
  name: string;
  /** Path in the repository, under manifests/. */
  path: string;
  yaml: string;
}

function render(kind: BenchKind, ns: string, name: string, i: number): string {
  switch (kind) {
    case 'Deployment':
      return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - name: app
        image: nginx:1.27.${i % 10}
        env: [{ name: INDEX, value: "${i}" }]
        resources: { requests: { cpu: 10m, memory: 16Mi } }
`;
    case 'Service':
      return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name}, tier: web } }
spec: { selector: { app: ${name} }, ports: [{ name: http, port: 80 }] }
`;
    case 'ConfigMap':
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${ns} }\ndata: { index: "${i}", mode: bench }\n`;
    case 'Secret':
      return `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name}, namespace: ${ns} }\ntype: Opaque\nstringData: { password: "pw-${i}" }\n`;
  }
}

export function benchNamespaces(): string[] {
  return Array.from({ length: NAMESPACES }, (_, n) => `bench-${n}`);
}

export function generateObjects(n: number): BenchObject[] {
  const out: BenchObject[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length] ?? 'ConfigMap';
    const ns = `bench-${Math.floor(i / KINDS.length) % NAMESPACES}`;
    const name = `${kind.toLowerCase()}-${i}`;
    out.push({ kind, namespace: ns, name, path: `${ns}/${name}.yaml`, yaml: render(kind, ns, name, i) });
  }
  return out;
}

/** The repository's files: one per object and one per Namespace. */
export function repoFiles(objects: BenchObject[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const ns of benchNamespaces())
    files[`manifests/${ns}/namespace.yaml`] = `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`;
  for (const o of objects) files[`manifests/${o.path}`] = o.yaml;
  return files;
}

/** Server-side apply in batches of `batch` objects, `parallel` kubectl processes at a time; seconds. */
export async function applyObjects(
  plane: ControlPlane,
  objects: BenchObject[],
  opts: { batch?: number; parallel?: number } = {},
): Promise<number> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bench-apply-'));
  try {
    const nsFile = join(dir, 'namespaces.yaml');
    writeFileSync(
      nsFile,
      benchNamespaces()
        .map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`)
        .join('---\n'),
    );
    await plane.kubectlOk(['apply', '--server-side', '-f', nsFile]);
    const size = opts.batch ?? 500;
    const files: string[] = [];
    for (let i = 0; i < objects.length; i += size) {
      const f = join(dir, `batch-${i}.yaml`);
      writeFileSync(
        f,
        objects
          .slice(i, i + size)
          .map((o) => o.yaml)
          .join('---\n'),
      );
      files.push(f);
    }
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++];
        if (f) await applyBatch(plane, f);
      }
    };
    await Promise.all(Array.from({ length: opts.parallel ?? 4 }, worker));
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One batch, tried up to three times: a loaded API server answers "Timeout: request did not complete"
 * now and then (it stopped a 100,000-object run at batch 56,000), and server-side apply of the same
 * file again is harmless.
 */
async function applyBatch(plane: ControlPlane, file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await plane.kubectlOk(['apply', '--server-side', '--field-manager', 'bench', '-f', file]);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(
        `  note: apply of ${file} failed (attempt ${attempt} of 3), trying again: ${String(err).slice(0, 200)}`,
      );
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

const COLLECTIONS: Record<BenchKind, string> = {
  Deployment: '/apis/apps/v1/namespaces/NS/deployments',
  Service: '/api/v1/namespaces/NS/services',
  ConfigMap: '/api/v1/namespaces/NS/configmaps',
  Secret: '/api/v1/namespaces/NS/secrets',
};

/**
 * The same objects created by direct POSTs, `parallel` in flight over keep-alive connections
 * (shared/node/kube/rest.ts); seconds. For benches that only need the objects to exist (the
 * initial-state bench): several times faster than kubectl apply, which costs a process, discovery
 * and a server-side apply per batch (10,000 took 215–286 s at load 13+). An object that already
 * exists is left as it is; a timeout of a loaded server is tried again, up to 3 times.
 */
export async function createObjects(
  plane: Pick<ControlPlane, 'kubeconfig'>,
  objects: BenchObject[],
  parallel = 32,
): Promise<number> {
  const started = performance.now();
  const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
  const create = async (path: string, body: unknown): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await kubeRequest(kc, path, { method: 'POST', body });
        return;
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 409) return;
        if (attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  };
  for (const ns of benchNamespaces())
    await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const o = objects[next++];
      if (o) await create(COLLECTIONS[o.kind].replace('NS', o.namespace), parse(o.yaml));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return (performance.now() - started) / 1000;
}
