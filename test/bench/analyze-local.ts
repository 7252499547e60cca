// Wall time of `kubectl-driftguard analyze --local` as a user runs it (a new process each time,
// loader start-up included): on the examples, and on 1,000 objects spread over 10 namespaces
// applied to a real control plane. Prints figures; asserts nothing about them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { ROOT, runPlugin } from '../plugin/helpers.ts';

const NAMESPACES = 10;
const PER_NAMESPACE = 100;
const RUNS = 3;

function deployment(ns: string, i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${i}, namespace: ${ns}, labels: { app: app-${i} } }
spec:
  replicas: 2
  selector: { matchLabels: { app: app-${i} } }
  template:
    metadata: { labels: { app: app-${i} } }
    spec:
      containers:
      - name: app
        image: nginx:1.27.${i % 10}
        env: [{ name: INDEX, value: "${i}" }]
        resources: { requests: { cpu: 50m, memory: 64Mi } }
`;
}

function configMap(ns: string, i: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${i}, namespace: ${ns} }\ndata: { index: "${i}", mode: bench }\n`;
}

function service(ns: string, i: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata: { name: svc-${i}, namespace: ${ns} }\nspec: { selector: { app: app-${i} }, ports: [{ name: http, port: 80 }] }\n`;
}

/** 1,000 objects: per namespace 40 Deployments, 40 ConfigMaps, 20 Services; one file per namespace. */
function generateRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bench-repo-'));
  mkdirSync(join(dir, 'namespaces'));
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `bench-${n}`;
    writeFileSync(
      join(dir, 'namespaces', `${ns}.yaml`),
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`,
    );
    const docs: string[] = [];
    for (let i = 0; i < PER_NAMESPACE; i++) {
      docs.push(i < 40 ? deployment(ns, i) : i < 80 ? configMap(ns, i) : service(ns, i));
    }
    writeFileSync(join(dir, `${ns}.yaml`), docs.join('---\n'));
  }
  return dir;
}

async function timeRuns(plane: ControlPlane, repo: string): Promise<{ ms: number[]; count: number }> {
  const ms: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const r = await runPlugin(
      ['analyze', '--local', '--repo', repo, '--kubeconfig', plane.kubeconfig, '-o', 'json'],
      { timeoutMs: 300_000 },
    );
    ms.push(performance.now() - start);
    if (r.code !== 0) throw new Error(`analyze --local failed (${r.code}): ${r.stderr}`);
    count = (JSON.parse(r.stdout) as { count: number }).count;
  }
  return { ms, count };
}

function describeRuns(label: string, t: { ms: number[]; count: number }): string {
  const sorted = [...t.ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${label}: ${t.count} objects, median ${median.toFixed(0)} ms (runs: ${t.ms.map((m) => m.toFixed(0)).join(', ')} ms)`;
}

export async function benchAnalyzeLocal(): Promise<void> {
  const plane = await startControlPlane();
  const repo = generateRepo();
  try {
    const examples = join(ROOT, 'examples');
    await plane.kubectlOk(['apply', '-f', join(examples, 'namespace.yaml')]);
    await plane.kubectlOk(['apply', '-f', examples]);
    const noop = await timeRuns(plane, join(ROOT, 'test', 'plugin', 'fixtures', 'empty-not-a-repo'));
    console.log(describeRuns('analyze --local, nothing to read (process start-up)', noop));
    console.log(describeRuns('analyze --local on examples/', await timeRuns(plane, examples)));

    await plane.kubectlOk(['apply', '-f', join(repo, 'namespaces')]);
    const applyStart = performance.now();
    // One namespace (100 objects) per kubectl apply: batches keep each request set small.
    for (let n = 0; n < NAMESPACES; n++)
      await plane.kubectlOk(['apply', '-f', join(repo, `bench-${n}.yaml`)]);
    console.log(
      `kubectl apply of ${NAMESPACES * PER_NAMESPACE} objects in ${NAMESPACES} batches: ${(performance.now() - applyStart).toFixed(0)} ms`,
    );
    console.log(describeRuns('analyze --local on 1,000 objects', await timeRuns(plane, repo)));
  } finally {
    rmSync(repo, { recursive: true, force: true });
    await plane.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAnalyzeLocal();
