// The pure translation of Argo CD and Flux objects into sources: what is modelled lands in the
// source's spec, what is not is named; Secrets are never read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/load.ts';
import type { JsonObject } from '../../shared/types.ts';
import { argoImage, fromApplication } from './argocd.ts';
import type { DiscoverContext } from './discovered.ts';
import { fromHelmRelease, fromKustomization } from './flux.ts';
import { discoverSources, referencedConfigMaps } from './translate.ts';

const read: string[] = [];
const ctx: DiscoverContext = {
  git: { clone_timeout: 1000, pull_timeout: 1000, auth: {} },
  namespace: 'default',
  configMap: (ns, name): Record<string, string> | undefined => {
    read.push(`${ns}/${name}`);
    if (name === 'vars') return { CLUSTER: 'east', REPLICAS: '3' };
    if (name === 'chart-values') return { 'values.yaml': 'image:\n  tag: from-cm\nextra: 1\n' };
    return undefined;
  },
};

const app = (spec: JsonObject, name = 'shop'): JsonObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec,
});

const gitRepo = (name: string, spec: JsonObject): [string, JsonObject] => [
  `flux-system/${name}`,
  { kind: 'GitRepository', metadata: { name, namespace: 'flux-system' }, spec },
];

describe('Argo CD Applications', () => {
  it('models repoURL, revision, path, destination namespace and the kustomize options', () => {
    const d = fromApplication(
      app({
        source: {
          repoURL: 'https://git.example/shop.git',
          targetRevision: 'v1.2',
          path: 'deploy/prod',
          kustomize: {
            images: ['nginx=mirror/nginx:1.27', 'redis:7', 'api@sha256:abc'],
            namePrefix: 'p-',
            namespace: 'shop',
            commonLabels: { team: 'a' },
            replicas: [{ name: 'web', count: 3 }],
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      }),
      ctx,
    );
    assert.equal(d.name, 'argocd/shop');
    assert.equal(d.spec?.git.url, 'https://git.example/shop.git');
    assert.equal(d.spec?.git.branch, 'v1.2');
    assert.equal(d.spec?.git.path, 'deploy/prod');
    assert.equal(d.spec?.namespace, 'shop');
    assert.deepEqual(d.spec?.overlay, {
      name_prefix: 'p-',
      namespace: 'shop',
      images: [
        { name: 'nginx', newName: 'mirror/nginx', newTag: '1.27' },
        { name: 'redis', newTag: '7' },
        { name: 'api', digest: 'sha256:abc' },
      ],
      labels: { team: 'a' },
    });
    assert.deepEqual(d.unsupported, ['kustomize.replicas is not applied']);
    assert.deepEqual(d.spec?.notes, d.unsupported);
  });

  it('models Helm values, valuesObject, parameters and names the release after the app', () => {
    const d = fromApplication(
      app({
        source: {
          repoURL: 'https://git.example/c.git',
          path: 'chart',
          helm: {
            valueFiles: ['values-prod.yaml', '$values/other.yaml'],
            values: 'replicas: 2\n',
            parameters: [{ name: 'image.tag', value: '1.0' }],
            fileParameters: [{ name: 'cfg', path: 'x' }],
          },
        },
        destination: { namespace: 'web' },
      }),
      ctx,
    );
    assert.equal(d.spec?.git.branch, 'HEAD');
    assert.equal(d.spec?.helm.release, 'shop');
    assert.deepEqual(d.spec?.helm.values, { replicas: 2 });
    assert.deepEqual(d.spec?.helm.values_files, ['values-prod.yaml']);
    assert.deepEqual(d.spec?.helm.set, { 'image.tag': '1.0' });
    assert.equal(d.unsupported.length, 2);
    assert.match(d.unsupported.join('\n'), /fileParameters/);
    assert.match(d.unsupported.join('\n'), /\$values\/other\.yaml/);
  });

  it('does not track plugins, a chart without a version or several sources of manifests, and says why', () => {
    const plugin = fromApplication(
      app({ source: { repoURL: 'r', path: 'p', plugin: { name: 'cmp' } } }),
      ctx,
    );
    assert.equal(plugin.spec, null);
    assert.match(plugin.unsupported.join(), /plugins/);
    const chart = fromApplication(
      app({ source: { repoURL: 'https://charts.example', chart: 'redis' } }),
      ctx,
    );
    assert.equal(chart.spec, null);
    assert.match(chart.unsupported.join(), /targetRevision \(the chart version\) is not set/);
    const many = fromApplication(
      app({
        sources: [
          { repoURL: 'a', path: 'x' },
          { repoURL: 'b', path: 'y' },
        ],
      }),
      ctx,
    );
    assert.equal(many.spec, null);
    assert.match(many.unsupported.join(), /multiple sources/);
    const jsonnet = fromApplication(
      app({ source: { repoURL: 'a', path: 'x', directory: { jsonnet: { tlas: [{ name: 'a' }] } } } }),
      ctx,
    );
    assert.match(jsonnet.unsupported.join(), /jsonnet/);
  });

  it('takes the one source of manifests among a values-only ref', () => {
    const d = fromApplication(
      app({
        sources: [
          { repoURL: 'a', path: 'x' },
          { repoURL: 'v', ref: 'values' },
        ],
      }),
      ctx,
    );
    assert.equal(d.spec?.git.url, 'a');
    assert.match(d.unsupported.join(), /only a ref/);
  });

  it('reads images as kustomize edit set image does', () => {
    assert.deepEqual(argoImage('registry:5000/app:2'), { name: 'registry:5000/app', newTag: '2' });
    assert.deepEqual(argoImage('app=registry:5000/app'), { name: 'app', newName: 'registry:5000/app' });
  });
});

describe('Flux Kustomizations and HelmReleases', () => {
  const repos = new Map([
    gitRepo('shop', { url: 'https://git.example/shop.git', ref: { branch: 'release' } }),
    gitRepo('tagged', { url: 'https://git.example/t.git', ref: { tag: 'v2' }, secretRef: { name: 'creds' } }),
    gitRepo('plain', { url: 'https://git.example/p.git' }),
  ]);
  const ks = (spec: JsonObject): JsonObject => ({
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec,
  });

  it('models the GitRepository, path, targetNamespace, images, patches and substitutions (ConfigMaps, not Secrets)', () => {
    read.length = 0;
    const d = fromKustomization(
      ks({
        sourceRef: { kind: 'GitRepository', name: 'shop' },
        path: './deploy',
        targetNamespace: 'shop',
        images: [{ name: 'nginx', newTag: '1.27' }],
        patches: [{ patch: 'x', target: { kind: 'Deployment' } }],
        postBuild: {
          substitute: { REPLICAS: '5' },
          substituteFrom: [
            { kind: 'ConfigMap', name: 'vars' },
            { kind: 'Secret', name: 'secret-vars' },
          ],
        },
      }),
      repos,
      ctx,
    );
    assert.equal(d.name, 'flux/flux-system/apps');
    assert.equal(d.spec?.git.url, 'https://git.example/shop.git');
    assert.equal(d.spec?.git.branch, 'release');
    assert.equal(d.spec?.git.path, './deploy');
    assert.equal(d.spec?.namespace, 'shop');
    assert.deepEqual(d.spec?.overlay, {
      namespace: 'shop',
      images: [{ name: 'nginx', newTag: '1.27' }],
      patches: [{ patch: 'x', target: { kind: 'Deployment' } }],
    });
    // Inline substitutions win over substituteFrom.
    assert.deepEqual(d.spec?.substitute, { CLUSTER: 'east', REPLICAS: '5' });
    assert.deepEqual(read, ['flux-system/vars'], 'the Secret is never read');
    assert.match(d.unsupported.join(), /Secret secret-vars is never read/);
  });

  it("follows Flux's ref defaults and names what it does not follow", () => {
    const plain = fromKustomization(
      ks({ sourceRef: { kind: 'GitRepository', name: 'plain' }, path: '.' }),
      repos,
      ctx,
    );
    assert.equal(plain.spec?.git.branch, 'master');
    assert.equal(plain.spec?.overlay, undefined);
    assert.deepEqual(plain.unsupported, []);
    const tagged = fromKustomization(
      ks({ sourceRef: { kind: 'GitRepository', name: 'tagged' } }),
      repos,
      ctx,
    );
    assert.equal(tagged.spec?.git.branch, 'v2');
    assert.match(tagged.unsupported.join(), /secretRef/);
    const oci = fromKustomization(ks({ sourceRef: { kind: 'OCIRepository', name: 'x' } }), repos, ctx);
    assert.equal(oci.spec, null);
    const missing = fromKustomization(ks({ sourceRef: { kind: 'GitRepository', name: 'nope' } }), repos, ctx);
    assert.equal(missing.spec, null);
    assert.match(missing.unsupported.join(), /does not exist/);
  });

  it('models a HelmRelease whose chart is in a GitRepository; a chart repository is reported', () => {
    read.length = 0;
    const hr = (spec: JsonObject): JsonObject => ({
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'apps' },
      spec,
    });
    const d = fromHelmRelease(
      hr({
        chart: {
          spec: {
            chart: './charts/web',
            sourceRef: { kind: 'GitRepository', name: 'shop', namespace: 'flux-system' },
            valuesFiles: ['charts/web/values-prod.yaml'],
          },
        },
        targetNamespace: 'prod',
        values: { image: { repository: 'web' } },
        valuesFrom: [
          { kind: 'ConfigMap', name: 'chart-values' },
          { kind: 'Secret', name: 'chart-secret' },
        ],
      }),
      repos,
      ctx,
    );
    assert.equal(d.name, 'flux/apps/web');
    assert.equal(d.spec?.type, 'helm');
    assert.equal(d.spec?.namespace, 'prod');
    assert.equal(d.spec?.helm.release, 'prod-web');
    assert.deepEqual(d.spec?.helm.values, { image: { tag: 'from-cm', repository: 'web' }, extra: 1 });
    assert.deepEqual(d.spec?.helm.values_files, ['../../charts/web/values-prod.yaml']);
    assert.deepEqual(read, ['apps/chart-values']);
    assert.match(d.unsupported.join(), /Secret chart-secret is never read/);
    const remote = fromHelmRelease(
      hr({ chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } } }),
      repos,
      ctx,
    );
    assert.equal(remote.spec, null);
    assert.match(remote.unsupported.join(), /HelmRepository apps\/bitnami does not exist/);
  });

  it('lists all sources by name and the ConfigMaps they read', () => {
    const objects = {
      Application: [app({ source: { repoURL: 'a', path: 'x' } }, 'b-app')],
      GitRepository: [...repos.values()],
      Kustomization: [
        ks({
          sourceRef: { name: 'shop' },
          postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] },
        }),
      ],
      HelmRelease: [],
    };
    assert.deepEqual(
      discoverSources(objects, ctx).map((d) => d.name),
      ['argocd/b-app', 'flux/flux-system/apps'],
    );
    assert.deepEqual(referencedConfigMaps(objects), ['flux-system/vars']);
  });
});

describe('sources_from in the config', () => {
  it('is off by default, takes argocd and flux (also from the environment), and stands in for git.url', () => {
    assert.deepEqual(parseConfig('git:\n  url: /x\n', {}).sources_from, []);
    assert.deepEqual(parseConfig('sources_from: [argocd]\n', {}).sources_from, ['argocd']);
    assert.deepEqual(parseConfig('', { DRIFTGUARD_SOURCES_FROM: 'argocd,flux' }).sources_from, [
      'argocd',
      'flux',
    ]);
    assert.throws(() => parseConfig('sources_from: [jenkins]\n', {}), /sources_from/);
    assert.throws(() => parseConfig('', {}), /git\.url/);
  });
});
