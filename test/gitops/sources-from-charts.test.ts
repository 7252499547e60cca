// sources_from with charts from chart repositories, on a real API server with Flux's and Argo CD's
// own CRDs (test/gitops/crds): a chart packaged by the real `helm package`, served by an HTTP chart
// repository (index by `helm repo index`) and pushed with `helm push` to Debian's docker-registry.
// Flux HelmReleases from a HelmRepository (HTTP, and `type: oci`) and through chartRef from an
// OCIRepository, and Argo CD Applications with `chart:` (an HTTP repository; a registry over HTTPS
// named without a scheme), each give the same records as the same
// chart committed to Git and configured by hand (values, values files, valuesFrom a ConfigMap,
// release name, namespace; the pre-install hook skipped); a changed object is drift; a new chart
// version in the HelmRelease, or a HelmRepository moved, moves the desired state; an unreachable
// repository is a readiness message, never drift, and one that goes down after a fetch is served
// from the cache. The records' commit differs by design (a Git SHA against the chart's
// version and digest), so it is left out of the comparison.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { isEvent } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { until, untilTrue } from '../kit/poll.ts';
import { freePort } from '../cluster/ports.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import {
  helm,
  registrySkipReason,
  startChartRepo,
  startRegistry,
  writeChart,
  type ChartRepo,
  type Registry,
} from '../render/chart-repos.ts';
import { opensslSkipReason, selfSignedCert } from '../kit/self-signed-cert.ts';
import { renderBinaries } from '../render/tools.ts';
import { applyGitopsCrds } from './crds.ts';
import { comparable, components, records, type Rec } from './records.ts';

const skip = registrySkipReason() ?? opensslSkipReason();
/** One namespace per way of naming the chart; `down` points at a repository nobody serves. */
const NS = {
  http: 'hc-http',
  auth: 'hc-auth',
  oci: 'hc-oci',
  ref: 'hc-ref',
  argo: 'hc-argo',
  argoOci: 'hc-argo-oci',
  down: 'hc-down',
};
/** The flux agent's namespaces that render (down never does). */
const FLUX_NS = [NS.http, NS.auth, NS.oci, NS.ref];
const USER = 'chart-reader';
const PASSWORD = 'pw-2b9e41-never-logged';
const VALUES = { replicas: 2, level: 'debug' };

/** The chart: a Deployment, a ConfigMap saying which version made it, a pre-install hook Job. */
function chartFiles(): Record<string, string> {
  return {
    'values.yaml': 'replicas: 1\nlevel: info\n',
    'values-prod.yaml': 'team: prod\n',
    'templates/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers: [{ name: web, image: "nginx:1.27.3" }]
`,
    'templates/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  level: {{ .Values.level | quote }}
  team: {{ .Values.team | default "none" | quote }}
  chart: {{ .Chart.Version | quote }}
  namespace: {{ .Release.Namespace | quote }}
`,
    'templates/hook.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-pre-install
  annotations: { "helm.sh/hook": pre-install }
data: { ran: "yes" }
`,
  };
}

let plane: ControlPlane;
let charts: ChartRepo;
/** The same charts behind basic auth. */
let privateCharts: ChartRepo;
let registry: Registry;
/** A registry over HTTPS (its own CA), as Argo CD reaches one: a repoURL without a scheme. */
let tlsRegistry: Registry;
let repo: TestRepo;
let work: string;
const agents: Record<'hand' | 'flux' | 'argocd', AgentProcess | undefined> = {
  hand: undefined,
  flux: undefined,
  argocd: undefined,
};

const apply = (docs: unknown[]) =>
  plane.kubectlOk(['apply', '-f', '-'], { input: docs.map((d) => JSON.stringify(d)).join('\n---\n') });

const fluxSource = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind,
  metadata: { name, namespace: 'flux-system' },
  spec: { interval: '5m', ...spec },
});

const helmRelease = (namespace: string, chart: Record<string, unknown>) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'web', namespace },
  spec: {
    interval: '5m',
    ...chart,
    valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }],
    values: { level: VALUES.level },
  },
});

const chartSpec = (repository: string, version: string) => ({
  chart: {
    spec: {
      chart: 'web',
      version,
      sourceRef: { kind: 'HelmRepository', name: repository, namespace: 'flux-system' },
      valuesFiles: ['values-prod.yaml'],
    },
  },
});

/** A chartRef has no valuesFiles (Flux reads them from chart.spec only). */
const valuesFiles = (ns: string): string[] => (ns === NS.ref ? [] : ['values-prod.yaml']);

const inNamespaces = (recs: Rec[], namespaces: string[]) =>
  recs.filter((r) => namespaces.includes(r.resource_id.split(':')[1] ?? ''));

describe('sources_from: charts from chart repositories', { skip: skip ?? false }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftguard-gitops-charts-'));
    const home = join(work, 'helm-home');
    const served = join(work, 'served');
    // ^1.0.0 must pick 1.0.0 over 0.9.0 and 2.0.0; 2.0.0 is what the HelmRelease moves to.
    for (const v of ['0.9.0', '1.0.0', '2.0.0']) {
      writeChart(join(work, 'src', v), 'web', v, chartFiles());
      await helm(home, ['package', join(work, 'src', v, 'web'), '--destination', served]);
    }
    charts = await startChartRepo(served);
    privateCharts = await startChartRepo(served, USER, PASSWORD);
    // Relative archive URLs: each server's index names its own archives.
    await helm(home, ['repo', 'index', served]);
    registry = await startRegistry();
    await helm(home, [
      'push',
      join(served, 'web-1.0.0.tgz'),
      `oci://${registry.host}/charts`,
      '--plain-http',
    ]);
    // Where the `oci` HelmRepository is moved to: only 2.0.0 there.
    await helm(home, ['push', join(served, 'web-2.0.0.tgz'), `oci://${registry.host}/next`, '--plain-http']);
    const cert = await selfSignedCert(work);
    tlsRegistry = await startRegistry({ tls: cert });
    await helm(home, [
      'push',
      join(served, 'web-1.0.0.tgz'),
      `oci://${tlsRegistry.host}/charts`,
      '--ca-file',
      cert.cert,
    ]);

    plane = await startControlPlane();
    await applyGitopsCrds(plane);
    for (const ns of [...Object.values(NS), 'argocd', 'flux-system'])
      await plane.kubectlOk(['create', 'namespace', ns]);
    // The live objects: helm's own render of 1.0.0 with the same values, hooks left out.
    const values = join(work, 'values.yaml');
    writeFileSync(values, stringify(VALUES));
    const chartDir = join(work, 'src', '1.0.0', 'web');
    for (const ns of Object.values(NS)) {
      const out = await helm(home, [
        'template',
        'web',
        chartDir,
        '--namespace',
        ns,
        '--no-hooks',
        ...valuesFiles(ns).flatMap((f) => ['-f', join(chartDir, f)]),
        '-f',
        values,
      ]);
      await plane.kubectlOk(['apply', '-n', ns, '-f', '-'], { input: out });
      await plane.kubectlOk([
        'create',
        'configmap',
        'web-values',
        '-n',
        ns,
        `--from-literal=values.yaml=replicas: ${VALUES.replicas}\n`,
      ]);
    }
    const down = await freePort();
    await plane.kubectlOk([
      'create',
      'secret',
      'generic',
      'chart-login',
      '-n',
      'flux-system',
      `--from-literal=username=${USER}`,
      `--from-literal=password=${PASSWORD}`,
    ]);
    await apply([
      fluxSource('HelmRepository', 'http', { url: charts.url }),
      fluxSource('HelmRepository', 'oci', {
        type: 'oci',
        url: `oci://${registry.host}/charts`,
        insecure: true,
      }),
      fluxSource('OCIRepository', 'web', {
        url: `oci://${registry.host}/charts/web`,
        ref: { semver: '1.x' },
        insecure: true,
      }),
      fluxSource('HelmRepository', 'down', { url: `http://127.0.0.1:${down}/charts` }),
      fluxSource('HelmRepository', 'private', { url: privateCharts.url, secretRef: { name: 'chart-login' } }),
      fluxSource('HelmRepository', 'locked', {
        url: privateCharts.url,
        secretRef: { name: 'no-such-secret' },
      }),
      helmRelease(NS.auth, chartSpec('private', '1.0.0')),
      {
        ...helmRelease(NS.down, chartSpec('locked', '1.0.0')),
        metadata: { name: 'locked', namespace: NS.down },
      },
      helmRelease(NS.http, chartSpec('http', '^1.0.0')),
      // `*`: the newest tag the registry lists (1.0.0 until the repository moves).
      helmRelease(NS.oci, chartSpec('oci', '*')),
      helmRelease(NS.ref, { chartRef: { kind: 'OCIRepository', name: 'web', namespace: 'flux-system' } }),
      helmRelease(NS.down, chartSpec('down', '1.0.0')),
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'web', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: {
            repoURL: charts.url,
            chart: 'web',
            targetRevision: '1.0.0',
            helm: { valueFiles: ['values-prod.yaml'], valuesObject: VALUES },
          },
          destination: { server: 'https://kubernetes.default.svc', namespace: NS.argo },
        },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'web-oci', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: {
            repoURL: `${tlsRegistry.host}/charts`,
            chart: 'web',
            targetRevision: '1.x',
            helm: { releaseName: 'web', valueFiles: ['values-prod.yaml'], valuesObject: VALUES },
          },
          destination: { server: 'https://kubernetes.default.svc', namespace: NS.argoOci },
        },
      },
    ]);
    // The same chart committed to Git, configured by hand once per namespace.
    repo = makeRepo({
      'web/Chart.yaml': stringify({ apiVersion: 'v2', name: 'web', version: '1.0.0' }),
      ...Object.fromEntries(Object.entries(chartFiles()).map(([f, c]) => [`web/${f}`, c])),
    });

    const b = renderBinaries();
    const start = (extra: Record<string, unknown>, env: Record<string, string> = {}) =>
      startAgent({
        env,
        config: {
          kubernetes: { kubeconfig: plane.kubeconfig, namespaces: Object.values(NS) },
          git: {},
          render: {
            kustomize: b.kustomize,
            helm: {
              path: b.helm,
              cache_dir: join(work, `cache-${Object.keys(extra)[0]}`),
              // Asked again at every sync: the last test proves the cache answers when it cannot be.
              index_ttl: '1s',
            },
          },
          drift: { periodic: false, interval: '1s', confirm: 'off', unmanaged: 'ignore' },
          ...extra,
        } as unknown as Record<string, Record<string, unknown>>,
      });
    agents.hand = await start({
      sources: [...FLUX_NS, NS.argo, NS.argoOci].map((ns) => ({
        name: `hand-${ns}`,
        url: repo.bare().url,
        branch: 'main',
        path: 'web',
        type: 'helm',
        namespace: ns,
        helm: { release: 'web', values_files: valuesFiles(ns), values: VALUES },
      })),
    });
    agents.flux = await start({ sources_from: ['flux'] });
    agents.argocd = await start({ sources_from: ['argocd'] }, { NODE_EXTRA_CA_CERTS: cert.cert });
    await agents.hand.waitReady(120_000);
    await agents.argocd.waitReady(120_000);
    // hc-down never loads, so the flux agent as a whole is not ready: wait for each source's verdict.
    await until(
      'every Flux source rendered or failed',
      async () => {
        const c = await components(agents.flux!).catch(() => []);
        const of = (ns: string) => c.find((x) => x.name === `source:flux/${ns}/web`);
        return FLUX_NS.every((ns) => of(ns)?.ready) && of(NS.down)?.message.startsWith('not loaded: ')
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, detail: () => agents.flux!.logs().slice(-8).join('\n') },
    );
    await agents.flux.waitForLog(isEvent('analysis_completed'), 60_000);
  });

  after(async () => {
    for (const a of Object.values(agents)) await a?.stop();
    await plane?.stop();
    await charts?.stop();
    await privateCharts?.stop();
    await registry?.stop();
    await tlsRegistry?.stop();
    repo?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('gives the same records as the same chart configured by hand, drift included', async () => {
    for (const ns of Object.values(NS))
      await plane.kubectlOk([
        'patch',
        'configmap/web-settings',
        '-n',
        ns,
        '-p',
        '{"data":{"level":"error"}}',
      ]);
    await plane.kubectlOk(['scale', 'deployment/web', '-n', NS.oci, '--replicas=4']);
    const settled = (a: AgentProcess, want: string[]) =>
      until(
        `drift recorded in ${want.join(', ')}`,
        async () => {
          const recs = await records(a);
          const active = new Set(recs.filter((r) => r.drift_status === 'active').map((r) => r.resource_id));
          return want.every((ns) => active.has(`ConfigMap:${ns}:web-settings`)) &&
            active.has(`Deployment:${NS.oci}:web`) === want.includes(NS.oci)
            ? recs
            : undefined;
        },
        { timeoutMs: 90_000 },
      );
    const fluxNs = FLUX_NS;
    const argoNs = [NS.argo, NS.argoOci];
    const hand = await settled(agents.hand!, [...fluxNs, ...argoNs]);
    const flux = await settled(agents.flux!, fluxNs);
    const argocd = await settled(agents.argocd!, argoNs);
    // Each namespace holds the Deployment and the ConfigMap; the hook is not desired state.
    assert.equal(inNamespaces(hand, fluxNs).length, 2 * fluxNs.length);
    assert.ok(!hand.some((r) => r.resource_id.includes('pre-install')));
    const drift = hand.find((r) => r.resource_id === `ConfigMap:${NS.http}:web-settings`);
    assert.deepEqual(
      drift?.drift_details.map((d) => [d.path, d.desired, d.live]),
      [['data.level', 'debug', 'error']],
    );
    assert.deepEqual(
      comparable(flux, { commit: false }),
      comparable(inNamespaces(hand, fluxNs), { commit: false }),
    );
    assert.deepEqual(
      comparable(argocd, { commit: false }),
      comparable(inNamespaces(hand, argoNs), { commit: false }),
    );
    assert.deepEqual(new Set(flux.map((r) => r.source)), new Set(fluxNs.map((ns) => `flux/${ns}/web`)));
    assert.deepEqual(new Set(argocd.map((r) => r.source)), new Set(['argocd/web', 'argocd/web-oci']));
    assert.match(flux[0]?.git_commit ?? '', /^web-1\.0\.0@sha256:[0-9a-f]{64}$/);
  });

  it('says an unreachable repository in /ready, and records no drift from it', async () => {
    const c = await components(agents.flux!);
    const down = c.find((x) => x.name === `source:flux/${NS.down}/web`);
    assert.equal(down?.ready, false);
    assert.match(
      down?.message ?? '',
      /^not loaded: .*chart repository index http:\/\/127\.0\.0\.1:\d+\/charts\/index\.yaml/,
    );
    // Its ConfigMap was changed like the others; nothing records it.
    assert.deepEqual(inNamespaces(await records(agents.flux!), [NS.down]), []);
  });

  it("reads a HelmRepository's secretRef for that repository only; a missing Secret is said in /ready", async () => {
    // hc-auth rendered (the comparison above) from the repository behind basic auth.
    assert.ok(privateCharts.served.some((p) => p.endsWith('/web-1.0.0.tgz')));
    const locked = await until(
      'the source whose Secret is missing named in /ready',
      async () =>
        (await components(agents.flux!)).find(
          (c) => c.name === `source:flux/${NS.down}/locked` && c.message.startsWith('not loaded: '),
        ),
      { timeoutMs: 60_000 },
    );
    assert.equal(locked.ready, false);
    assert.match(
      locked.message,
      /Secret flux-system\/no-such-secret \(credentials of http:\/\/127\.0\.0\.1:\d+\/charts\) does not exist/,
    );
    // Sent to the private repository only: the open one never saw a password.
    assert.equal(charts.unauthorized, 0);
    for (const a of Object.values(agents)) assert.ok(!a!.logs().some((l) => l.includes(PASSWORD)));
  });

  /** The flux agent's record of a namespace's ConfigMap once its desired chart version moved. */
  const movedTo = (ns: string, version: string) =>
    until(
      `the record in ${ns} at chart ${version}`,
      async () =>
        (await records(agents.flux!)).find(
          (r) =>
            r.resource_id === `ConfigMap:${ns}:web-settings` &&
            r.drift_details.some((d) => d.path === 'data.chart' && d.desired === version),
        ),
      { timeoutMs: 60_000, detail: () => agents.flux!.logs().slice(-8).join('\n') },
    );

  it('moves the desired state when the HelmRelease asks for a new chart version', async () => {
    await plane.kubectlOk([
      'patch',
      'helmrelease/web',
      '-n',
      NS.http,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { chart: { spec: { version: '2.0.0' } } } }),
    ]);
    const moved = await movedTo(NS.http, '2.0.0');
    const detail = moved.drift_details.find((d) => d.path === 'data.chart');
    assert.deepEqual([detail?.desired, detail?.live], ['2.0.0', '1.0.0']);
    assert.match(moved.git_commit ?? '', /^web-2\.0\.0@sha256:/);
  });

  it('moves the desired state when the HelmRepository changes', async () => {
    await plane.kubectlOk([
      'patch',
      'helmrepository/oci',
      '-n',
      'flux-system',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { url: `oci://${registry.host}/next` } }),
    ]);
    const moved = await movedTo(NS.oci, '2.0.0');
    assert.match(moved.git_commit ?? '', /^web-2\.0\.0@sha256:/);
  });

  it('renders from the cache while the chart repository is down', async () => {
    await charts.stop();
    // The previous test fetched the index moments ago: an index younger than index_ttl (1s) is
    // answered from memory without asking, so this test waits it out to prove the down path.
    await delay(1_500);
    await plane.kubectlOk([
      'patch',
      'helmrelease/web',
      '-n',
      NS.http,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { chart: { spec: { version: '^1.0.0' } } } }),
    ]);
    const back = await until(
      'the record in hc-http back at chart 1.0.0',
      async () =>
        (await records(agents.flux!)).find(
          (r) =>
            r.resource_id === `ConfigMap:${NS.http}:web-settings` && /^web-1\.0\.0@/.test(r.git_commit ?? ''),
        ),
      { timeoutMs: 60_000, detail: () => agents.flux!.logs().slice(-8).join('\n') },
    );
    assert.deepEqual(
      back.drift_details.map((d) => d.path),
      ['data.level'],
    );
    const c = (await components(agents.flux!)).find((x) => x.name === `source:flux/${NS.http}/web`);
    assert.equal(c?.ready, true);
    // The agent's log reaches us through a pipe, which can trail the record it wrote after logging.
    await untilTrue(
      'a render warning that the repository index came from the cache',
      () =>
        agents
          .flux!.logs()
          .some((l) =>
            /render_warning.*chart repository index http:\/\/127\.0\.0\.1:\d+\/charts\/index\.yaml.*using its index fetched/.test(
              l,
            ),
          ),
      { timeoutMs: 10_000, detail: () => agents.flux!.logs().slice(-8).join('\n') },
    );
  });
});
