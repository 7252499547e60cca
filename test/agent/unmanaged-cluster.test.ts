// The unmanaged exclusion list on the full local cluster, controllers running (startCluster:
// kube-controller-manager writes ReplicaSets, `default` ServiceAccounts, `kube-root-ca.crt`,
// EndpointSlices; kube-scheduler and a kwok node run the Pods): the examples, every file of the
// shared corpus (each in a namespace of its own) and the render corpus (podinfo through the real
// kustomize, and installed with the real helm, so a Helm release Secret exists) are applied and
// declared in Git. The agent must then report 0 Unmanaged and 0 Superseded objects.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { parseManifests } from '../../shared/engine/index.ts';
import { binaries } from '../cluster/binaries.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../git/repos.ts';
import { allRecords, isEvent } from './fixture.ts';
import { startAgent, type AgentProcess } from './run-agent.ts';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared');
const CORPUS = join(SHARED, 'corpus');
const PODINFO = join(SHARED, 'render-corpus', 'stefanprodan__podinfo');

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return manifestFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

/** Each corpus file's namespaced objects moved into a namespace of its own, as one repo file each. */
function corpusFiles(): { files: Record<string, string>; namespaces: string[] } {
  const files: Record<string, string> = {};
  const namespaces: string[] = [];
  manifestFiles(CORPUS)
    .sort()
    .forEach((file, i) => {
      const ns = `corpus-${i}`;
      const parsed = parseManifests([{ path: relative(CORPUS, file), content: readFileSync(file) }], {
        defaultNamespace: ns,
      });
      const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
      for (const o of parsed.objects) {
        if (o.id.split(':')[1] === '') continue; // cluster-scoped: would collide between files
        docs.push({ ...o.object, metadata: { ...o.object.metadata, namespace: ns } } as never);
      }
      files[`manifests/corpus/${i}.yaml`] = docs.map((d) => stringify(d)).join('---\n');
      namespaces.push(ns);
    });
  return { files, namespaces };
}

/** Rendered manifests with every namespaced object's namespace set, as Git would hold them. */
function inNamespace(rendered: string, ns: string): string {
  return parseAllDocuments(rendered)
    .map((d) => d.toJS() as { metadata?: Record<string, unknown> } | null)
    .filter((o): o is { metadata: Record<string, unknown> } => o !== null && typeof o.metadata === 'object')
    .map((o) => stringify({ ...o, metadata: { ...o.metadata, namespace: ns } }))
    .join('---\n');
}

let cluster: Cluster;
let repo: TestRepo;
let agent: AgentProcess;

describe('unmanaged objects on a cluster with its controllers', () => {
  before(async () => {
    cluster = await startCluster();
    const b = binaries() as unknown as { kustomize: string; helm: string };
    const examples = Object.fromEntries(
      Object.entries(exampleManifests({})).map(([p, c]) => [`manifests/examples/${p}`, c]),
    );
    const corpus = corpusFiles();
    const kustomized = execFileSync(b.kustomize, ['build', join(PODINFO, 'kustomize')], { encoding: 'utf8' });
    const helmArgs = ['podinfo', join(PODINFO, 'charts', 'podinfo'), '--namespace', 'render-helm'];
    const helmed = execFileSync(b.helm, ['template', ...helmArgs], { encoding: 'utf8' });
    const files: Record<string, string> = {
      ...examples,
      ...corpus.files,
      'manifests/render/namespaces.yaml': [
        stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'render-kustomize' } }),
        stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'render-helm' } }),
      ].join('---\n'),
      'manifests/render/kustomize.yaml': inNamespace(kustomized, 'render-kustomize'),
      'manifests/render/helm.yaml': inNamespace(helmed, 'render-helm'),
    };
    repo = makeRepo(files);
    // Namespaces first, then everything; objects 1.37 no longer serves are refused, the rest applies.
    await cluster.kubectlOk(['apply', '-f', join(repo.dir, 'manifests/examples/namespace.yaml')]);
    for (const ns of [...corpus.namespaces, 'render-kustomize'])
      await cluster.kubectlOk(['create', 'namespace', ns]);
    await cluster.kubectl(['apply', '-R', '-f', join(repo.dir, 'manifests/examples')]);
    await cluster.kubectl(['apply', '-R', '-f', join(repo.dir, 'manifests/corpus')]);
    await cluster.kubectl([
      'apply',
      '-n',
      'render-kustomize',
      '-f',
      join(repo.dir, 'manifests/render/kustomize.yaml'),
    ]);
    // Helm installs the chart itself: its release record (a Secret of type helm.sh/release.v1) is in the cluster.
    execFileSync(b.helm, ['install', ...helmArgs, '--create-namespace', '--kubeconfig', cluster.kubeconfig], {
      encoding: 'utf8',
    });
    await cluster.settle(['demo', 'render-helm', 'render-kustomize', ...corpus.namespaces], 180_000);
    agent = await startAgent({
      config: {
        kubernetes: { kubeconfig: cluster.kubeconfig },
        git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
        drift: { periodic: false, interval: '1h' },
      },
    });
    await agent.waitReady(120_000);
    await agent.waitForLog(isEvent('analysis_completed'), 120_000);
  });
  after(async () => {
    await agent?.stop();
    repo?.remove();
    await cluster?.stop();
  });

  it('reports 0 Unmanaged and 0 Superseded objects', async () => {
    const records = await allRecords(agent);
    const unmanaged = records.filter((r) => r.drift_type === 'Unmanaged' || r.drift_type === 'Superseded');
    const secrets = JSON.parse(
      await cluster.kubectlOk(['get', 'secrets,serviceaccounts,configmaps', '-A', '-o', 'json']),
    ) as { items: { kind: string; type?: string; metadata: { name: string } }[] };
    const made = {
      helmRelease: secrets.items.filter((s) => s.type === 'helm.sh/release.v1').length,
      defaultSa: secrets.items.filter((s) => s.kind === 'ServiceAccount' && s.metadata.name === 'default')
        .length,
      rootCa: secrets.items.filter((s) => s.metadata.name === 'kube-root-ca.crt').length,
    };
    process.stdout.write(
      `# ${records.length} records; cluster-made objects present: ${JSON.stringify(made)}; unmanaged: ${unmanaged.length}\n`,
    );
    assert.ok(made.helmRelease >= 1 && made.defaultSa >= 3 && made.rootCa >= 3, JSON.stringify(made));
    assert.deepEqual(
      unmanaged.map((r) => `${r.resource_id} ${r.drift_type} ${JSON.stringify(r.drift_details[0])}`),
      [],
    );
  });
});
