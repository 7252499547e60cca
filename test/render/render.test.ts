// The renderer with the real kustomize and helm (no cluster): type detection, what a Kustomize
// overlay and a Helm chart render to, hooks and tests set aside, unstable fields, lookup flagged,
// the cache (a hit runs no tool), and every safety refusal with its message.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  detectType,
  render,
  RenderCache,
  RenderError,
  type RenderSpec,
  type Tools,
} from '../../shared/node/render/index.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderRepoFiles } from './fixture.ts';
import { renderBinaries, renderTools } from './tools.ts';

let tools: Tools;
let repo: TestRepo;
const repos: TestRepo[] = [];

function spec(over: Partial<RenderSpec>): RenderSpec {
  return {
    repoDir: repo.dir,
    path: '',
    type: 'auto',
    namespace: 'shop',
    commit: repo.head(),
    tools,
    ...over,
  };
}

function extraRepo(files: Record<string, string>): TestRepo {
  const r = makeRepo(files);
  repos.push(r);
  return r;
}

async function refused(s: RenderSpec, message: RegExp): Promise<void> {
  await assert.rejects(render(s), (err: unknown) => {
    assert.ok(err instanceof RenderError, `not a RenderError: ${String(err)}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('render with the real tools', () => {
  before(async () => {
    tools = await renderTools();
    repo = makeRepo(renderRepoFiles('shop'));
    repos.push(repo);
  });
  after(() => {
    for (const r of repos) r.remove();
  });

  it('uses the pinned versions', () => {
    const b = renderBinaries();
    assert.equal(tools.kustomize?.version, b.kustomizeVersion);
    assert.equal(tools.helm?.version, b.helmVersion);
  });

  it('detects the type at the source path only; a kustomization wins over a Chart.yaml', () => {
    const both = extraRepo({
      'x/kustomization.yaml': 'resources: []\n',
      'x/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 0.1.0\n',
      'y/Kustomization': 'resources: []\n',
      'z/Chart.yaml': 'apiVersion: v2\nname: z\nversion: 0.1.0\n',
      'z/sub/kustomization.yaml': 'resources: []\n',
    });
    assert.equal(detectType(join(both.dir, 'x')), 'kustomize');
    assert.equal(detectType(join(both.dir, 'y')), 'kustomize');
    assert.equal(detectType(join(both.dir, 'z')), 'helm');
    assert.equal(detectType(both.dir), 'directory');
  });

  it('renders a Kustomize overlay: patches, merged generators with hash suffixes, component, image, namespace, origins', async () => {
    const r = await render(spec({ path: 'kustomize/overlays/prod' }));
    assert.equal(r.type, 'kustomize');
    assert.equal(r.tool, `kustomize ${renderBinaries().kustomizeVersion}`);
    assert.deepEqual(r.errors, []);
    const ids = r.objects.map((o) => o.id).sort();
    const cm = ids.find((id) => id.startsWith('ConfigMap:shop:web-settings-'));
    const secret = ids.find((id) => id.startsWith('Secret:shop:web-credentials-'));
    assert.ok(cm && /-[a-z0-9]{10}$/.test(cm), `no hashed ConfigMap in ${ids.join(', ')}`);
    assert.ok(secret, `no hashed Secret in ${ids.join(', ')}`);
    assert.ok(ids.includes('Namespace::shop') && ids.includes('Service:shop:web'));
    const web = r.objects.find((o) => o.id === 'Deployment:shop:web');
    assert.ok(web);
    const spec_ = web.object['spec'] as {
      replicas: number;
      template: { spec: { containers: { image: string; envFrom: { configMapRef: { name: string } }[] }[] } };
    };
    assert.equal(spec_.replicas, 3, 'the replicas patch applies');
    assert.equal(spec_.template.spec.containers[0]?.image, 'nginx:1.27', 'images: applies');
    assert.equal(
      spec_.template.spec.containers[0]?.envFrom[0]?.configMapRef.name,
      cm?.split(':')[2],
      'hash suffix in the reference',
    );
    const meta = web.object.metadata as {
      annotations?: Record<string, string>;
      labels?: Record<string, string>;
    };
    assert.equal(meta.annotations?.['prometheus.io/scrape'], 'true', 'the component applies');
    assert.equal(
      meta.annotations?.['config.kubernetes.io/origin'],
      'path: ../../base/deployment.yaml\n',
      'the origin stays as rendered (kubectl apply -k applies it too)',
    );
    assert.equal(meta.labels?.['app.kubernetes.io/part-of'], 'shop');
    // The origin names the file the object came from, as a repository path.
    assert.equal(web.sourceFile, 'kustomize/base/deployment.yaml');
    assert.equal(
      r.objects.find((o) => o.id === 'Namespace::shop')?.sourceFile,
      'kustomize/overlays/prod/namespace.yaml',
    );
  });

  it('renders a Helm chart with values files: hooks and tests skipped, random fields unstable, lookup flagged', async () => {
    const r = await render(
      spec({ path: 'chart', helm: { values_files: ['values-prod.yaml'], release: 'shop' } }),
    );
    assert.equal(r.type, 'helm');
    assert.equal(r.tool, `helm ${renderBinaries().helmVersion}`);
    const ids = r.objects.map((o) => o.id).sort();
    assert.deepEqual(ids, [
      'ConfigMap:shop:shop-greeting',
      'ConfigMap:shop:shop-lookup',
      'Deployment:shop:shop-api',
      'Secret:shop:shop-generated',
    ]);
    assert.deepEqual(r.skipped.map((s) => [s.id, s.reason]).sort(), [
      ['Job:shop:shop-migrate', 'helm hook (pre-install,pre-upgrade)'],
      ['Pod:shop:shop-test', 'helm test pod'],
    ]);
    const dep = r.objects.find((o) => o.id === 'Deployment:shop:shop-api');
    assert.equal(dep?.sourceFile, 'chart/templates/deployment.yaml');
    assert.equal((dep?.object['spec'] as { replicas: number }).replicas, 2, 'values-prod.yaml applies');
    assert.deepEqual(r.unstable, [
      { kind: 'Secret', namespace: 'shop', name: 'shop-generated', path: 'data.password' },
    ]);
    assert.equal(r.usesLookup, true);
    // What helm install stamps on every object is not the chart's: never compared.
    assert.deepEqual(
      r.notCompared.map((n) => n.path),
      [
        'metadata.labels["app.kubernetes.io/managed-by"]',
        'metadata.annotations["meta.helm.sh/release-name"]',
        'metadata.annotations["meta.helm.sh/release-namespace"]',
      ],
    );
    assert.ok(r.warnings.some((w) => /lookup/.test(w)));
  });

  it('--set and inline values reach helm; the release defaults to the chart name', async () => {
    const r = await render(
      spec({ path: 'chart', helm: { set: { greeting: 'hola' }, values: { replicaCount: 5 } } }),
    );
    const dep = r.objects.find((o) => o.id === 'Deployment:shop:shopchart-api');
    assert.ok(dep, r.objects.map((o) => o.id).join(', '));
    assert.equal((dep.object['spec'] as { replicas: number }).replicas, 5);
    assert.match(JSON.stringify(dep.object), /"hola"/);
  });

  it('caches by commit: a second render with nothing changed runs no tool', async () => {
    const cache = new RenderCache();
    const first = await render(spec({ path: 'chart', cache }));
    const second = await render(spec({ path: 'chart', cache }));
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(cache.hits, 1);
    assert.equal(cache.misses, 1);
    assert.deepEqual(second.objects, first.objects);
    // Any part of the key changing renders again: the cluster's version, a parameter, the commit.
    const other = await render(
      spec({ path: 'chart', cache, cluster: { kubeVersion: 'v1.36.0', apiVersions: [] } }),
    );
    assert.equal(other.cached, false);
    const set = await render(spec({ path: 'chart', cache, helm: { set: { greeting: 'x' } } }));
    assert.equal(set.cached, false);
    const next = repo.commit({ 'README.md': 'x\n' });
    const moved = await render(spec({ path: 'chart', cache, commit: next }));
    assert.equal(moved.cached, false);
    assert.equal(cache.hits, 1);
  });

  it('a template error names the tool and exit code, without temp paths or secret values', async () => {
    const bad = extraRepo({
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'c/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name | required "name is required" }}\n  token: {{ .Values.token }\n',
    });
    await assert.rejects(
      render(
        spec({ repoDir: bad.dir, commit: bad.head(), path: 'c', helm: { set: { token: 'tok-SECRET-123' } } }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof RenderError);
        assert.equal(err.stage, 'tool');
        assert.match(err.message, /^helm v4\.\d+\.\d+ failed \(exit 1\): /);
        assert.doesNotMatch(err.message, /driftguard-render-|\/tmp\//);
        assert.doesNotMatch(err.message, new RegExp(bad.dir));
        assert.doesNotMatch(err.message, /tok-SECRET-123/);
        return true;
      },
    );
  });

  describe('untrusted repository content is refused', () => {
    it('a symlink out of the repository', async () => {
      const r = extraRepo({ 'k/kustomization.yaml': 'resources: [cm.yaml]\n' });
      symlinkSync('/etc/hostname', join(r.dir, 'k', 'cm.yaml'));
      await refused(
        spec({ repoDir: r.dir, commit: null, path: 'k' }),
        /^symlink k\/cm\.yaml points outside the repository; refusing to render$/,
      );
    });
    it('a values file outside the repository', async () => {
      await refused(
        spec({ path: 'chart', helm: { values_files: ['../../../../etc/passwd'] } }),
        /^values file \.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd is outside the repository; refusing to read it$/,
      );
      await refused(
        spec({ path: 'chart', helm: { values_files: ['/etc/passwd'] } }),
        /is outside the repository/,
      );
    });
    it('a remote base, unless the source opts into the network', async () => {
      const r = extraRepo({
        'k/kustomization.yaml':
          'resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n',
      });
      await refused(
        spec({ repoDir: r.dir, commit: r.head(), path: 'k' }),
        /^k\/kustomization\.yaml: resources entry https:\/\/github\.com\/\S+ is remote; remote bases are off unless the source opts into the network$/,
      );
    });
    it('a base or file outside the repository, whatever the load restrictor', async () => {
      const r = extraRepo({ 'k/kustomization.yaml': 'resources:\n  - /etc/passwd\n' });
      await refused(
        spec({
          repoDir: r.dir,
          commit: r.head(),
          path: 'k',
          kustomize: { load_restrictor: 'None', enable_helm: false },
        }),
        /^k\/kustomization\.yaml: resources entry \/etc\/passwd is outside the repository$/,
      );
      const gen = extraRepo({
        'k/kustomization.yaml':
          'configMapGenerator:\n  - name: x\n    files: [pw=../../../../../etc/passwd]\n',
      });
      await refused(
        spec({
          repoDir: gen.dir,
          commit: gen.head(),
          path: 'k',
          kustomize: { load_restrictor: 'None', enable_helm: false },
        }),
        /configMapGenerator entry \.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd is outside the repository/,
      );
    });
    it('helmCharts without enable_helm, and chart pulls without the network', async () => {
      const r = extraRepo({
        'k/kustomization.yaml':
          'helmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n    version: 6.0.0\n',
      });
      await refused(
        spec({ repoDir: r.dir, commit: r.head(), path: 'k' }),
        /helmCharts needs kustomize\.enable_helm: true/,
      );
      await refused(
        spec({
          repoDir: r.dir,
          commit: r.head(),
          path: 'k',
          kustomize: { load_restrictor: 'RootOnly', enable_helm: true },
        }),
        /helmCharts podinfo pulls from https:\/\/stefanprodan\.github\.io\/podinfo; chart pulls are off/,
      );
    });
    it('a chart dependency that is not vendored is not pulled', async () => {
      const r = extraRepo({
        'c/Chart.yaml':
          'apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.invalid\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
      });
      await refused(
        spec({ repoDir: r.dir, commit: r.head(), path: 'c' }),
        /^Chart\.yaml: dependency redis 1\.0\.0 comes from https:\/\/charts\.example\.invalid, which is not in render\.helm\.repositories; refusing to fetch it/,
      );
    });
    it('a render that never ends is stopped at the time limit', async () => {
      const r = extraRepo({
        'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
        'c/templates/spin.yaml':
          '{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}\n',
      });
      const started = Date.now();
      await refused(
        spec({ repoDir: r.dir, commit: r.head(), path: 'c', limits: { timeoutMs: 1500 } }),
        /^helm v\S+: did not finish within 1\.5 s; stopped$/,
      );
      assert.ok(Date.now() - started < 20_000);
    });
    it('output over the size limit is stopped', async () => {
      await refused(
        spec({ path: 'kustomize/overlays/prod', limits: { maxOutputBytes: 1000 } }),
        /output over the 1000-byte limit; stopped/,
      );
    });
    it('a path outside the repository', async () => {
      await refused(spec({ path: '../..' }), /^path \.\.\/\.\. is outside the repository$/);
    });
  });

  it('the renderer gets no cluster credentials and no network', async () => {
    // A chart that prints its environment through a values-free template cannot exist (templates
    // cannot read env), so check the environment the runner builds instead, with the real process.
    const r = extraRepo({
      'k/kustomization.yaml': 'resources: [cm.yaml]\n',
      'k/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
    });
    process.env['KUBERNETES_SERVICE_HOST'] = '10.0.0.1';
    try {
      const out = await render(spec({ repoDir: r.dir, commit: r.head(), path: 'k' }));
      assert.equal(out.objects.length, 1);
    } finally {
      delete process.env['KUBERNETES_SERVICE_HOST'];
    }
    const { toolEnvironment } = await import('../../shared/node/render/exec.ts');
    const dir = join(r.dir, '..', 'envcheck');
    mkdirSync(dir, { recursive: true });
    const env = toolEnvironment(dir, false);
    assert.equal(env['KUBERNETES_SERVICE_HOST'], undefined);
    assert.match(String(env['HTTPS_PROXY']), /^http:\/\/127\.0\.0\.1:9$/);
    assert.ok(
      String(env['HELM_CACHE_HOME']).startsWith(dir) && String(env['XDG_CONFIG_HOME']).startsWith(dir),
    );
    writeFileSync(join(dir, 'x'), '');
  });
});
