// sources_from on a real API server with Argo CD's and Flux's own CRDs (test/gitops/crds, see
// ORIGIN.md), the repository served over smart HTTP by the harness's Git server: an Application and
// a Flux GitRepository + Kustomization pointing at the path a hand-configured source reads give the
// same records (minus the source's name); an Application added at runtime becomes a source and
// goes away with it; one the agent cannot model is named in /ready.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { startGitHttpServer, type GitHttpServer } from '../git/http-backend.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { applyGitopsCrds } from './crds.ts';
import { comparable, components, records, type Rec } from './records.ts';

const PASSWORD = 'sources-from-password';

const deploy = {
  'deploy/kustomization.yaml': 'resources:\n  - web.yaml\n  - settings.yaml\n',
  'deploy/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27.3" }]
`,
  'deploy/settings.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: shop }\ndata: { LEVEL: info }\n',
  'extra/extra.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra, namespace: shop }\ndata: { A: "1" }\n',
};

describe('sources from Argo CD and Flux objects', () => {
  let plane: ControlPlane;
  let repo: TestRepo;
  let git: GitHttpServer;
  let url: string;
  const agents: Record<'hand' | 'argocd' | 'flux', AgentProcess | undefined> = {
    hand: undefined,
    argocd: undefined,
    flux: undefined,
  };

  const start = (extra: Record<string, unknown>) =>
    startAgent({
      config: {
        kubernetes: { kubeconfig: plane.kubeconfig, namespaces: ['shop'] },
        git: { auth: { username: 'alice', password_env: 'TEST_GIT_PASSWORD' } },
        drift: { periodic: false, interval: '1s', confirm: 'off' },
        ...extra,
      },
      env: { TEST_GIT_PASSWORD: PASSWORD },
    });

  before(async () => {
    plane = await startControlPlane();
    repo = makeRepo(deploy);
    const bare = repo.bare();
    git = await startGitHttpServer(dirname(bare.dir), 'alice', PASSWORD);
    url = `${git.url}/${bare.dir.split('/').pop() ?? ''}`;
    await applyGitopsCrds(plane);
    for (const ns of ['shop', 'argocd', 'flux-system']) await plane.kubectlOk(['create', 'namespace', ns]);
    await plane.kubectlOk(['apply', '-k', join(repo.dir, 'deploy')]);
    const app = (name: string, source: Record<string, unknown>) =>
      JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: 'argocd' },
        spec: {
          project: 'default',
          source,
          destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        },
      });
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: app('shop', { repoURL: url, targetRevision: 'main', path: 'deploy' }),
    });
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: app('tool', { repoURL: url, targetRevision: 'main', path: 'deploy', plugin: { name: 'cmp' } }),
    });
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: [
        JSON.stringify({
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'shop', namespace: 'flux-system' },
          spec: { url, interval: '1m', ref: { branch: 'main' }, secretRef: { name: 'git-credentials' } },
        }),
        JSON.stringify({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'shop', namespace: 'flux-system' },
          spec: {
            interval: '5m',
            path: './deploy',
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'shop' },
          },
        }),
      ].join('\n---\n'),
    });
    // One agent per way of naming the same path, each with its own embedded store.
    agents.hand = await start({ sources: [{ name: 'hand', url, branch: 'main', path: 'deploy' }] });
    agents.argocd = await start({ sources_from: ['argocd'] });
    agents.flux = await start({ sources_from: ['flux'] });
    for (const a of Object.values(agents)) await a?.waitReady(60_000);
  });
  after(async () => {
    for (const a of Object.values(agents)) await a?.stop();
    await git?.stop();
    await plane?.stop();
    repo?.remove();
  });

  it('gives the same records as the same path configured by hand', async () => {
    await plane.kubectlOk(['scale', 'deployment/web', '-n', 'shop', '--replicas=5']);
    await plane.kubectlOk(['patch', 'configmap/settings', '-n', 'shop', '-p', '{"data":{"LEVEL":"debug"}}']);
    const settled = async (a: AgentProcess) =>
      until(
        'both drifts recorded',
        async () => {
          const recs = await records(a);
          const active = recs.filter((r) => r.drift_status === 'active').map((r) => r.resource_id);
          return active.includes('Deployment:shop:web') && active.includes('ConfigMap:shop:settings')
            ? recs
            : undefined;
        },
        { timeoutMs: 60_000 },
      );
    const hand = await settled(agents.hand!);
    const argocd = await settled(agents.argocd!);
    const flux = await settled(agents.flux!);
    assert.ok(hand.length >= 2);
    assert.deepEqual(comparable(argocd), comparable(hand));
    assert.deepEqual(comparable(flux), comparable(hand));
    assert.deepEqual(new Set(hand.map((r) => r.source)), new Set(['hand']));
    assert.deepEqual(new Set(argocd.map((r) => r.source)), new Set(['argocd/shop']));
    assert.deepEqual(new Set(flux.map((r) => r.source)), new Set(['flux/flux-system/shop']));
    const res = await fetch(`${agents.argocd!.apiUrl}/api/v1/drift-records?source=argocd/shop`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { drift_records: Rec[] }).drift_records.length, argocd.length);
  });

  it('names in /ready what it cannot model, per source', async () => {
    const argocd = await components(agents.argocd!);
    const tool = argocd.find((c) => c.name === 'source:argocd/tool');
    assert.ok(tool, JSON.stringify(argocd));
    assert.equal(tool.ready, true);
    assert.match(tool.message, /not tracked: config management plugins are not run/);
    assert.equal(argocd.find((c) => c.name === 'sources_from')?.ready, true);
    const flux = await components(agents.flux!);
    assert.match(
      flux.find((c) => c.name === 'source:flux/flux-system/shop')?.message ?? '',
      /secretRef credentials are not read/,
    );
  });

  it('follows Applications added and removed at runtime', async () => {
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'extra', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: url, targetRevision: 'main', path: 'extra' },
          destination: { namespace: 'shop' },
        },
      }),
    });
    // Git declares a ConfigMap the cluster does not hold: Missing, from the new source.
    const missing = await until(
      'the new source analysed',
      async () =>
        (await records(agents.argocd!)).find(
          (r) => r.resource_id === 'ConfigMap:shop:extra' && r.drift_status === 'active',
        ),
      {
        timeoutMs: 60_000,
        detail: () =>
          agents
            .argocd!.logs()
            .filter((l) => /sources_discovered|git_|source_|analysis_completed|extra/.test(l))
            .slice(-20)
            .join('\n'),
      },
    );
    assert.equal(missing.drift_type, 'Missing');
    assert.equal(missing.source, 'argocd/extra');
    await plane.kubectlOk(['delete', 'application', 'extra', '-n', 'argocd']);
    await until(
      'the source gone, its record resolved',
      async () => {
        const gone = !(await components(agents.argocd!)).some((c) => c.name === 'source:argocd/extra');
        const rec = (await records(agents.argocd!)).find((r) => r.resource_id === 'ConfigMap:shop:extra');
        return gone && rec?.drift_status !== 'active' ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
  });
});
