// Objects Git does not know, end to end on the full local cluster (startCluster: kube-controller-
// manager writes ReplicaSets, `default` ServiceAccounts, `kube-root-ca.crt`, EndpointSlices and
// StatefulSet claims; kube-scheduler and a kwok node run the Pods). Git holds the examples, every
// file of ../shared/corpus (each in a namespace of its own), the render corpus's podinfo as a
// Kustomize source and as a Helm source (installed with the real helm, so a Helm release Secret
// exists) and a Kustomize configMapGenerator; the agent watches every kind those make objects of.
// After the controllers have acted: 0 Unmanaged and 0 Superseded. A Deployment created by hand is
// reported by the watch (the figure is printed) and resolved when deleted, or when it is added to
// Git; a generator's earlier hash left in the cluster is Superseded; drift.unmanaged: ignore
// reports nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseManifests } from '../../shared/engine/index.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderBinaries } from '../render/tools.ts';
import { allRecords, getRecord, isEvent, waitForRecord, type RecordJson } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { CORPUS, PODINFO, sharedSkip } from '../kit/shared-data.ts';

/** Without ../shared the corpus and podinfo are left out, and the test that counts on them skips. */
const SHARED_SKIP = sharedSkip(CORPUS, PODINFO);

/** Every kind the controllers (and helm) make objects of in a namespace, besides the default four. */
const KINDS = [
  'Deployment',
  'Service',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'ReplicaSet',
  'Pod',
  'Endpoints',
  'EndpointSlice',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'ControllerRevision',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'Ingress',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Each corpus file's namespaced objects in a namespace of its own, as one repo file each. */
function corpusFiles(): { files: Record<string, string>; namespaces: string[] } {
  const files: Record<string, string> = {};
  const namespaces: string[] = [];
  filesUnder(CORPUS)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .forEach((file, i) => {
      const ns = `corpus-${i}`;
      const parsed = parseManifests([{ path: relative(CORPUS, file), content: readFileSync(file) }], {
        defaultNamespace: ns,
      });
      const docs = parsed.objects
        // Cluster-scoped objects would collide between files, and are never Unmanaged candidates.
        .filter((o) => o.id.split(':')[1] !== '')
        .map((o) => stringify({ ...o.object, metadata: { ...o.object.metadata, namespace: ns } }));
      if (docs.length === 0) return;
      files[`manifests/corpus/${i}.yaml`] = docs.join('---\n');
      namespaces.push(ns);
    });
  return { files, namespaces };
}

/** The podinfo tree (read in place) as repo files under `podinfo/`. */
function podinfoFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ['kustomize', 'charts/podinfo'])
    for (const f of filesUnder(join(PODINFO, sub)))
      out[`podinfo/${relative(PODINFO, f)}`] = readFileSync(f, 'utf8');
  return out;
}

const generator = (mode: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: demo
configMapGenerator:
  - name: settings
    literals: [mode=${mode}]
`;

const handDeployment = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: demo
  labels: { app: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: nginx, image: "nginx:1.27.3" }]
`;

let cluster: Cluster;
let repo: TestRepo;
let agent: AgentProcess;
let namespaces: string[] = [];

function tool(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: cluster.dir } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${bin} ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

const unmanaged = (records: RecordJson[]): string[] =>
  records
    .filter((r) => r.drift_type === 'Unmanaged' || r.drift_type === 'Superseded')
    .map((r) => `${r.resource_id} ${r.drift_type} ${JSON.stringify(r.drift_details[0])}`);

function agentConfig(extra: Record<string, unknown> = {}): Record<string, Record<string, unknown>> {
  const b = renderBinaries();
  const url = repo.bare().url;
  return {
    kubernetes: { kubeconfig: cluster.kubeconfig, resource_types: KINDS },
    git: {},
    sources: [
      { name: 'plain', url, path: 'manifests' },
      // Without ../shared the repo has no podinfo tree: naming it would keep the agent unready.
      ...(SHARED_SKIP
        ? []
        : [
            { name: 'podinfo-kustomize', url, path: 'podinfo/kustomize', namespace: 'render-kustomize' },
            {
              name: 'podinfo-helm',
              url,
              path: 'podinfo/charts/podinfo',
              namespace: 'render-helm',
              helm: { release: 'podinfo' },
            },
          ]),
      { name: 'generator', url, path: 'generator' },
    ],
    render: { kustomize: b.kustomize, helm: b.helm },
    // The Git poll every second; no periodic runs, so the watch is what reports.
    drift: { periodic: false, interval: '1s', ...extra },
  } as unknown as Record<string, Record<string, unknown>>;
}

async function startReady(config: Record<string, Record<string, unknown>>): Promise<AgentProcess> {
  const a = await startAgent({ config });
  await a.waitReady(120_000);
  await a.waitForLog(isEvent('analysis_completed'), 120_000);
  return a;
}

/** Milliseconds until the record satisfies `pred`, polled every 5 ms. */
async function timeUntil(id: string, pred: (r: RecordJson) => boolean, from: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const r = await getRecord(agent, id);
    if (r && pred(r)) return Date.now() - from;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`${id}: not reached within 10 s; last ${JSON.stringify(await getRecord(agent, id))}`);
}

describe('objects Git does not know, on a cluster with its controllers', () => {
  before(async () => {
    cluster = await startCluster();
    const examples = Object.fromEntries(
      Object.entries(exampleManifests({})).map(([p, c]) => [`manifests/examples/${p}`, c]),
    );
    const corpus = SHARED_SKIP ? { files: {}, namespaces: [] } : corpusFiles();
    repo = makeRepo({
      ...examples,
      ...corpus.files,
      ...(SHARED_SKIP ? {} : podinfoFiles()),
      'generator/kustomization.yaml': generator('old'),
    });
    const b = renderBinaries();
    namespaces = ['demo', ...(SHARED_SKIP ? [] : ['render-kustomize', 'render-helm']), ...corpus.namespaces];
    for (const ns of namespaces) await cluster.kubectlOk(['create', 'namespace', ns]);
    // Objects 1.37 no longer serves are refused; the rest applies (as the corpus suite does).
    await cluster.kubectl(['apply', '-R', '-f', join(repo.dir, 'manifests')]);
    await cluster.kubectlOk(['apply', '-k', join(repo.dir, 'generator')]);
    if (!SHARED_SKIP) {
      await cluster.kubectlOk(['apply', '-n', 'render-kustomize', '-k', join(repo.dir, 'podinfo/kustomize')]);
      await tool(b.helm, [
        'install',
        'podinfo',
        join(repo.dir, 'podinfo/charts/podinfo'),
        '-n',
        'render-helm',
        '--no-hooks',
        '--kubeconfig',
        cluster.kubeconfig,
      ]);
    }
    await cluster.settle(namespaces, 240_000);
    agent = await startReady(agentConfig());
  });
  after(async () => {
    await agent?.stop();
    await cluster?.stop();
    repo?.remove();
  });

  it(
    'reports 0 Unmanaged and 0 Superseded objects after the examples, the corpus and the render corpus',
    { skip: SHARED_SKIP },
    async () => {
      const records = await allRecords(agent);
      // What the cluster made by itself in the tracked namespaces, to show the exclusions were exercised.
      const listed = JSON.parse(
        await cluster.kubectlOk(['get', KINDS.map((k) => k.toLowerCase()).join(','), '-A', '-o', 'json']),
      ) as {
        items: {
          kind: string;
          type?: string;
          metadata: { name: string; namespace: string; ownerReferences?: unknown[] };
        }[];
      };
      const tracked = new Set(namespaces);
      const declared = new Set(records.map((r) => r.resource_id));
      const made: Record<string, number> = {};
      for (const o of listed.items) {
        if (
          !tracked.has(o.metadata.namespace) ||
          declared.has(`${o.kind}:${o.metadata.namespace}:${o.metadata.name}`)
        )
          continue;
        const why = o.metadata.ownerReferences?.length
          ? `owned ${o.kind}`
          : o.type === 'helm.sh/release.v1'
            ? 'Helm release Secret'
            : `${o.kind}${['default', 'kube-root-ca.crt'].includes(o.metadata.name) ? ` ${o.metadata.name}` : ''}`;
        made[why] = (made[why] ?? 0) + 1;
      }
      process.stdout.write(
        `# ${records.length} records in ${namespaces.length} namespaces; not in Git, made by the cluster: ${JSON.stringify(made)}\n`,
      );
      assert.ok(made['Helm release Secret'] === 1, JSON.stringify(made));
      assert.ok((made['ServiceAccount default'] ?? 0) >= namespaces.length, JSON.stringify(made));
      assert.ok((made['ConfigMap kube-root-ca.crt'] ?? 0) >= namespaces.length, JSON.stringify(made));
      assert.ok((made['owned Pod'] ?? 0) > 0 && (made['owned ReplicaSet'] ?? 0) > 0, JSON.stringify(made));
      assert.ok((made['owned EndpointSlice'] ?? 0) + (made['EndpointSlice'] ?? 0) > 0, JSON.stringify(made));
      assert.deepEqual(unmanaged(records), []);
    },
  );

  it('reports a Deployment created by hand at once, and resolves it when it is deleted', async () => {
    const id = 'Deployment:demo:hand';
    const started = Date.now();
    await cluster.kubectlOk(['-n', 'demo', 'create', 'deployment', 'hand', '--image=nginx:1.27.3']);
    const returned = Date.now();
    const seen = await timeUntil(id, (r) => r.drift_status === 'active', returned);
    const rec = await getRecord(agent, id);
    assert.equal(rec?.drift_type, 'Unmanaged');
    assert.equal(rec?.severity, 'low');
    assert.equal(rec?.source_file, null);
    assert.equal(rec?.drift_details[0]?.manager, 'kubectl-create');
    await cluster.kubectlOk(['-n', 'demo', 'delete', 'deployment', 'hand', '--wait=false']);
    const deleted = Date.now();
    const resolved = await timeUntil(id, (r) => r.drift_status === 'resolved', deleted);
    const gone = await getRecord(agent, id);
    assert.match(gone?.resolution_message ?? '', /gone from the cluster/);
    // A resolved record keeps the type of the episode it closed (lifecycle.ts, since cad1b0d).
    assert.equal(gone?.drift_type, 'Unmanaged');
    process.stdout.write(
      `# hand-made Deployment: active record ${seen} ms after kubectl create returned (${seen + returned - started} ms from its start); resolved ${resolved} ms after kubectl delete returned\n`,
    );
  });

  it('reports a Pod made with kubectl run (nothing owns it), not the Pods controllers made', async () => {
    const id = 'Pod:demo:debug';
    await cluster.kubectlOk(['-n', 'demo', 'run', 'debug', '--image=busybox:1.37', '--', 'sleep', '1d']);
    const rec = await waitForRecord(agent, id, (r) => r.drift_status === 'active', 10_000);
    assert.equal(rec.drift_type, 'Unmanaged');
    assert.equal(rec.drift_details[0]?.manager, 'kubectl-run');
    await cluster.kubectlOk(['-n', 'demo', 'delete', 'pod', 'debug', '--wait=false']);
    // The kwok node may hold the Pod until it is gone; then the record resolves.
    await waitForRecord(agent, id, (r) => r.drift_status === 'resolved', 30_000);
    assert.deepEqual(
      unmanaged(await allRecords(agent)).filter((r) => r.startsWith('Pod:') && !r.startsWith(`${id} `)),
      [],
    );
  });

  it('resolves an Unmanaged Deployment once a source declares it (the Git poll)', async () => {
    const id = 'Deployment:demo:adopted';
    await cluster.kubectlOk(['-n', 'demo', 'create', 'deployment', 'adopted', '--image=nginx:1.27.3']);
    await waitForRecord(
      agent,
      id,
      (r) => r.drift_status === 'active' && r.drift_type === 'Unmanaged',
      10_000,
    );
    const committed = Date.now();
    repo.commit({ 'manifests/adopted.yaml': handDeployment('adopted') });
    const rec = await waitForRecord(agent, id, (r) => r.source_file !== null, 20_000);
    process.stdout.write(
      `# adopted by Git: tracked ${Date.now() - committed} ms after the commit (1 s poll)\n`,
    );
    // The Unmanaged episode ended; what Git declares is what kubectl created, so no new drift.
    assert.equal(rec.drift_status, 'resolved', JSON.stringify(rec));
    assert.equal(rec.source_file, 'manifests/adopted.yaml');
    assert.match(rec.resolution_message ?? '', /declared in Git now/);
    await agent.waitForLog(isEvent('drift_resolved', id), 1000);
  });

  it("reports a Kustomize generator's earlier hash left in the cluster as Superseded", async () => {
    const b = renderBinaries();
    const nameOf = async (): Promise<string> => {
      const out = await tool(b.kustomize, ['build', join(repo.dir, 'generator')]);
      const m = /name: (settings-[a-z0-9]+)/.exec(out);
      assert.ok(m?.[1], out);
      return m[1];
    };
    const oldName = await nameOf();
    repo.commit({ 'generator/kustomization.yaml': generator('new') });
    const newName = await nameOf();
    assert.notEqual(oldName, newName);
    // As a GitOps tool would: Git first (the agent sees the new hash Missing), then the apply,
    // which creates the new hash and leaves the old one (kubectl apply -k prunes nothing).
    await waitForRecord(agent, `ConfigMap:demo:${newName}`, (r) => r.drift_type === 'Missing', 20_000);
    await cluster.kubectlOk(['apply', '-k', join(repo.dir, 'generator')]);
    const old = await waitForRecord(
      agent,
      `ConfigMap:demo:${oldName}`,
      (r) => r.drift_status === 'active' && r.drift_type === 'Superseded',
      20_000,
    );
    assert.equal(old.severity, 'low');
    assert.equal(old.drift_details[0]?.desired, newName);
    const current = await waitForRecord(
      agent,
      `ConfigMap:demo:${newName}`,
      (r) => r.drift_status === 'resolved',
      10_000,
    );
    assert.equal(current.source_file, 'generator/kustomization.yaml');
    await cluster.kubectlOk(['-n', 'demo', 'delete', 'configmap', oldName]);
    await waitForRecord(agent, `ConfigMap:demo:${oldName}`, (r) => r.drift_status === 'resolved', 10_000);
  });

  it('drift.unmanaged: ignore records no Unmanaged object', async () => {
    await cluster.kubectlOk(['-n', 'demo', 'create', 'deployment', 'before-ignore', '--image=nginx:1.27.3']);
    const quiet = await startReady(agentConfig({ unmanaged: 'ignore' }));
    try {
      await cluster.kubectlOk(['-n', 'demo', 'create', 'deployment', 'after-ignore', '--image=nginx:1.27.3']);
      // The reporting agent sees it through its watch; the other one watches the same API server.
      await waitForRecord(agent, 'Deployment:demo:after-ignore', (r) => r.drift_status === 'active', 10_000);
      await waitForRecord(agent, 'Deployment:demo:before-ignore', (r) => r.drift_status === 'active', 10_000);
      const records = await allRecords(quiet);
      assert.ok(
        records.some((r) => r.resource_id === 'Deployment:demo:web'),
        'tracked objects still recorded',
      );
      assert.deepEqual(unmanaged(records), []);
      assert.equal(await getRecord(quiet, 'Deployment:demo:after-ignore'), null);
      assert.equal(await getRecord(quiet, 'Deployment:demo:before-ignore'), null);
    } finally {
      await quiet.stop();
    }
  });
});
