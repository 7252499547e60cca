// Charts from chart repositories in GitOps objects (pure translation): a Flux HelmRelease from a
// HelmRepository (HTTP and `type: oci`) or an OCIRepository chartRef, an Argo CD Application with
// `chart`, become sources that fetch from the repository the object names; what cannot be followed
// is named, and an object that cannot be modelled at all is not tracked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../shared/types.ts';
import { fromApplication } from './argocd.ts';
import type { DiscoverContext } from './discovered.ts';
import { fromHelmRelease } from './flux.ts';
import { discoverSources } from './translate.ts';

const ctx: DiscoverContext = {
  git: { clone_timeout: 1000, pull_timeout: 1000, auth: {} },
  namespace: 'default',
  configMap: (_ns, name) => (name === 'web-values' ? { 'values.yaml': 'replicas: 3\n' } : undefined),
};

const source = (kind: string, name: string, spec: JsonObject): JsonObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind,
  metadata: { name, namespace: 'flux-system' },
  spec,
});

const release = (spec: JsonObject, name = 'web'): JsonObject => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, namespace: 'apps' },
  spec,
});

const fromRepo = (version?: string): JsonObject => ({
  chart: {
    spec: {
      chart: 'web',
      ...(version ? { version } : {}),
      sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' },
      valuesFiles: ['values-prod.yaml'],
    },
  },
  valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }],
  values: { image: 'web:2' },
});

function discover(objects: {
  HelmRelease?: JsonObject[];
  HelmRepository?: JsonObject[];
  OCIRepository?: JsonObject[];
}) {
  return discoverSources(
    {
      Application: [],
      GitRepository: [],
      Kustomization: [],
      HelmRelease: objects.HelmRelease ?? [],
      HelmRepository: objects.HelmRepository ?? [],
      OCIRepository: objects.OCIRepository ?? [],
    },
    ctx,
  );
}

describe('Flux HelmRelease from a chart repository', () => {
  it('fetches from the HelmRepository it names, with its version range, values and release name', () => {
    const [d] = discover({
      HelmRelease: [release({ ...fromRepo('^1.2.0'), targetNamespace: 'prod' })],
      HelmRepository: [source('HelmRepository', 'charts', { url: 'http://charts.example/stable' })],
    });
    assert.equal(d?.name, 'flux/apps/web');
    assert.deepEqual(d?.spec?.chart, {
      repository: 'http://charts.example/stable',
      name: 'web',
      version: '^1.2.0',
      plain_http: false,
    });
    assert.equal(d?.spec?.type, 'helm');
    assert.equal(d?.spec?.namespace, 'prod');
    assert.equal(d?.spec?.helm.release, 'prod-web');
    assert.deepEqual(d?.spec?.helm.values, { replicas: 3, image: 'web:2' });
    // Relative to the chart, as source-controller reads them from the chart archive.
    assert.deepEqual(d?.spec?.helm.values_files, ['values-prod.yaml']);
    assert.deepEqual(d?.unsupported, []);
  });

  it('reads a `type: oci` HelmRepository as a registry (insecure = plain HTTP), its secretRef as credentials', () => {
    const [d] = discover({
      HelmRelease: [release(fromRepo())],
      HelmRepository: [
        source('HelmRepository', 'charts', {
          type: 'oci',
          url: 'oci://registry.example/charts',
          insecure: true,
          secretRef: { name: 'registry-login' },
          certSecretRef: { name: 'ca' },
        }),
      ],
    });
    assert.deepEqual(d?.spec?.chart, {
      repository: 'oci://registry.example/charts',
      name: 'web',
      version: '*',
      plain_http: true,
      secret: { namespace: 'flux-system', name: 'registry-login' },
    });
    assert.match(
      d?.unsupported.join() ?? '',
      /certSecretRef \(custom CA or client certificate\) is not used/,
    );
  });

  it('follows chartRef to an OCIRepository: the chart is the last path element, ref.tag or ref.semver its version', () => {
    const oci = (ref: JsonObject, extra: JsonObject = {}) =>
      source('OCIRepository', 'web-chart', { url: 'oci://registry.example/charts/web', ref, ...extra });
    const hr = release({ chartRef: { kind: 'OCIRepository', name: 'web-chart', namespace: 'flux-system' } });
    const [tagged] = discover({
      HelmRelease: [hr],
      OCIRepository: [oci({ tag: '0.3.0' }, { insecure: true })],
    });
    assert.deepEqual(tagged?.spec?.chart, {
      repository: 'oci://registry.example/charts',
      name: 'web',
      version: '0.3.0',
      plain_http: true,
    });
    const [ranged] = discover({ HelmRelease: [hr], OCIRepository: [oci({ semver: '>=0.2 <1' })] });
    assert.equal(ranged?.spec?.chart?.version, '>=0.2 <1');
    for (const [ref, why] of [
      [{}, /ref\.tag latest is not a chart version/],
      [{ digest: 'sha256:abc' }, /ref\.digest is not resolved/],
    ] as const) {
      const [d] = discover({ HelmRelease: [hr], OCIRepository: [oci(ref)] });
      assert.equal(d?.spec, null);
      assert.match(d?.unsupported.join() ?? '', why);
    }
    const [cloud] = discover({
      HelmRelease: [hr],
      OCIRepository: [oci({ tag: '1.0.0' }, { provider: 'aws' })],
    });
    assert.equal(cloud?.spec, null);
    assert.match(cloud?.unsupported.join() ?? '', /provider aws \(a cloud login\) is not used/);
  });

  it('names what it cannot follow: a missing repository, verify, a bad version, a HelmChart chartRef', () => {
    const repo = source('HelmRepository', 'charts', { url: 'https://charts.example' });
    const verified = fromHelmRelease(
      release({
        chart: {
          spec: { ...(fromRepo().chart as { spec: JsonObject }).spec, verify: { provider: 'cosign' } },
        },
      }),
      new Map(),
      ctx,
      new Map([['HelmRepository/flux-system/charts', repo]]),
    );
    assert.ok(verified.spec?.chart);
    assert.match(verified.unsupported.join(), /signatures \(verify\) are not checked/);
    const [missing] = discover({ HelmRelease: [release(fromRepo())] });
    assert.equal(missing?.spec, null);
    assert.match(missing?.unsupported.join() ?? '', /HelmRepository flux-system\/charts does not exist/);
    const [bad] = discover({ HelmRelease: [release(fromRepo('latest'))], HelmRepository: [repo] });
    assert.equal(bad?.spec, null);
    assert.match(bad?.unsupported.join() ?? '', /version latest is not a semver version or range/);
    const [helmChart] = discover({ HelmRelease: [release({ chartRef: { kind: 'HelmChart', name: 'x' } })] });
    assert.equal(helmChart?.spec, null);
    assert.match(helmChart?.unsupported.join() ?? '', /only an OCIRepository is followed/);
  });
});

describe('Argo CD Application with a chart', () => {
  const app = (source: JsonObject): JsonObject => ({
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: { source, destination: { namespace: 'shop' } },
  });

  it('fetches from its repoURL (HTTP, oci://, or a registry path without a scheme) at targetRevision', () => {
    const d = fromApplication(
      app({
        repoURL: 'https://charts.example',
        chart: 'web',
        targetRevision: '1.x',
        helm: { releaseName: 'shop-web', valuesObject: { replicas: 2 }, valueFiles: ['values-prod.yaml'] },
      }),
      ctx,
    );
    assert.deepEqual(d.spec?.chart, {
      repository: 'https://charts.example',
      name: 'web',
      version: '1.x',
      plain_http: false,
    });
    assert.equal(d.spec?.type, 'helm');
    assert.equal(d.spec?.namespace, 'shop');
    assert.equal(d.spec?.helm.release, 'shop-web');
    assert.deepEqual(d.spec?.helm.values, { replicas: 2 });
    assert.deepEqual(d.spec?.helm.values_files, ['values-prod.yaml']);
    const bare = fromApplication(
      app({ repoURL: 'registry.example/charts', chart: 'web', targetRevision: '0.3.0' }),
      ctx,
    );
    assert.equal(bare.spec?.chart?.repository, 'oci://registry.example/charts');
    assert.equal(bare.spec?.helm.release, 'web');
    const kustomized = fromApplication(
      app({
        repoURL: 'https://charts.example',
        chart: 'web',
        targetRevision: '1.0.0',
        kustomize: { namePrefix: 'p-' },
      }),
      ctx,
    );
    assert.equal(kustomized.spec?.overlay, undefined);
    assert.match(
      kustomized.unsupported.join(),
      /kustomize options on a chart from a chart repository are not applied/,
    );
  });
});
