// One verdict whatever the apply mode. The same Deployment (Git leaves `replicas` unset) is made
// four ways — `kubectl apply`, `kubectl apply --server-side`, `kubectl create`, and `helm install`
// (Helm 4 applies server-side as its own field manager `helm`) — then changed by a real kubectl
// command and read back with its managedFields from kube-apiserver. Each hand change is drift of
// the same type in all four modes; `kubectl rollout restart` is none in any.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { analyzeResource, defaultEngineOptions, parseManifests } from '../../shared/engine/index.ts';
import type { DriftResult, KubeObject } from '../../shared/types.ts';
import { readAutoscaled } from '../../shared/node/kube/autoscaled.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { readListTables } from '../../shared/node/kube/openapi-lists.ts';
import { binaries } from '../cluster/binaries.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';

type Mode = 'csa' | 'ssa' | 'create' | 'helm';
const MODES: readonly Mode[] = ['csa', 'ssa', 'create', 'helm'];

const HELM_METADATA = [
  'metadata.labels["app.kubernetes.io/managed-by"]',
  'metadata.annotations["meta.helm.sh/release-name"]',
  'metadata.annotations["meta.helm.sh/release-namespace"]',
];

/** Each change: the kubectl command (on deployment/<name> in its namespace) and the verdict. */
const CHANGES: { name: string; args: (d: string) => string[]; type: string | null }[] = [
  { name: 'scale', args: (d) => ['scale', d, '--replicas=3'], type: 'Scaling' },
  { name: 'set-env', args: (d) => ['set', 'env', d, 'FOO=bar'], type: 'ConfigurationChange' },
  { name: 'label', args: (d) => ['label', d, 'team=payments'], type: 'LabelChange' },
  { name: 'restart', args: (d) => ['rollout', 'restart', d], type: null },
  { name: 'none', args: () => [], type: null },
];

function deployment(name: string, ns: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0' }] },
      },
    },
  };
}

function run(bin: string, args: string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: home } },
      (err, out, e) => (err ? reject(new Error(`${bin} ${args.join(' ')}: ${e}`)) : resolve(out)),
    );
  });
}

describe('one verdict in every apply mode (kube-apiserver, kubectl, helm)', () => {
  let plane: SharedCluster;
  const verdicts = new Map<string, DriftResult>();
  before(async () => {
    plane = await sharedCluster(import.meta.url);
    for (const mode of MODES) {
      const ns = await plane.newNamespace(mode);
      const objects = CHANGES.map((c) => deployment(`web-${c.name}`, ns));
      const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
      if (mode === 'csa') await plane.kubectlOk(['apply', '-f', '-'], { input: list });
      if (mode === 'ssa') await plane.kubectlOk(['apply', '--server-side', '-f', '-'], { input: list });
      if (mode === 'create') await plane.kubectlOk(['create', '-f', '-'], { input: list });
      if (mode === 'helm') {
        const chart = join(plane.dir, 'chart');
        mkdirSync(join(chart, 'templates'), { recursive: true });
        writeFileSync(
          join(chart, 'Chart.yaml'),
          stringify({ apiVersion: 'v2', name: 'web', version: '0.1.0' }),
        );
        objects.forEach((o, i) => writeFileSync(join(chart, 'templates', `${i}.yaml`), stringify(o)));
        await run(
          binaries().helm,
          ['install', 'web', chart, '-n', ns, '--kubeconfig', plane.kubeconfig],
          plane.dir,
        );
      }
      for (const c of CHANGES)
        if (c.name !== 'none') await plane.kubectlOk(['-n', ns, ...c.args(`deployment/web-${c.name}`)]);
      for (const c of CHANGES) {
        const live = JSON.parse(
          await plane.kubectlOk([
            '-n',
            ns,
            'get',
            `deployment/web-${c.name}`,
            '-o',
            'json',
            '--show-managed-fields',
          ]),
        ) as KubeObject;
        // As the adapters do: the HPAs of the namespace (none here) say no autoscaler owns replicas.
        const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
        const { ids } = await readAutoscaled(kc, [ns]);
        assert.ok(ids);
        // And the served list tables of apps/v1.
        const { tables, problems } = await readListTables(kc, ['apps/v1']);
        assert.deepEqual(problems, []);
        const opts = defaultEngineOptions({ defaultNamespace: ns, autoscaled: ids, listTables: tables });
        // A chart's render sets aside what `helm install` adds (shared/node/render: notCompared).
        if (mode === 'helm') opts.rules.ignore = HELM_METADATA.map((path) => ({ path }));
        const desired = parseManifests(
          [{ path: 'web.yaml', content: JSON.stringify(deployment(`web-${c.name}`, ns)) }],
          opts,
        ).objects[0];
        assert.ok(desired);
        verdicts.set(`${mode}/${c.name}`, analyzeResource(desired, live, opts, { gitCommit: null }));
      }
    }
  });
  after(async () => {
    await plane?.stop();
  });

  for (const c of CHANGES)
    it(`${c.name}: ${c.type ?? 'no drift'} after each of ${MODES.join(', ')}`, () => {
      const got = MODES.map((m) => {
        const r = verdicts.get(`${m}/${c.name}`);
        assert.ok(r, m);
        return `${m}: ${r.drift_type ?? 'none'} ${r.drift_details.map((d) => d.path).join(',')}`;
      });
      for (const line of got) assert.match(line, new RegExp(`^\\w+: ${c.type ?? 'none'} `), got.join('\n'));
    });
});
