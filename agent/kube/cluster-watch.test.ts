// The watches against a real API server: initial list, live changes as single-object events,
// system namespaces left out, and a watch restarted by the watchdog that still delivers events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../test/cluster/control-plane.ts';
import { parseConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { loadKubeConfig } from './client.ts';
import { ClusterWatch } from './cluster-watch.ts';
import type { LiveChange } from './live-state.ts';
import { until } from '../../test/kit/poll.ts';
import { defaultEngineOptions } from '../../shared/engine/index.ts';
import { crd } from '../../test/kit/crd.ts';

const manifests = `
apiVersion: v1
kind: Namespace
metadata: { name: watch-test }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: watch-test }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: watch-test }
data: { mode: fast }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: hidden, namespace: kube-system }
data: { a: b }
`;

function waitForChange(changes: LiveChange[], pred: (c: LiveChange) => boolean): Promise<LiveChange> {
  return until('a matching change', () => changes.find(pred), {
    timeoutMs: 5000,
    intervalMs: 20,
    detail: () => `saw ${JSON.stringify(changes)}`,
  });
}

describe('cluster watch', () => {
  let plane: ControlPlane;
  let watch: ClusterWatch;
  const changes: LiveChange[] = [];
  const logLines: string[] = [];

  before(async () => {
    plane = await startControlPlane();
    await plane.kubectlOk(['apply', '-f', '-'], { input: manifests });
    const config = parseConfig(
      `git: { url: /x }\nkubernetes: { kubeconfig: ${plane.kubeconfig}, watchdog_timeout: 1500ms, resource_types: [Deployment, ConfigMap] }\n`,
      {},
    );
    const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => logLines.push(t) });
    watch = new ClusterWatch({ kc: loadKubeConfig(config.kubernetes), config: config.kubernetes, log });
    watch.state.onChange((c) => changes.push(c));
    await watch.start();
    await watch.whenSynced();
  });
  after(async () => {
    await watch?.stop();
    await plane?.stop();
  });

  it('loads the initial list as plain JSON, without system namespaces', () => {
    const dep = watch.state.get('Deployment:watch-test:web');
    assert.ok(dep, 'deployment cached');
    assert.equal(dep.kind, 'Deployment');
    assert.equal(dep.apiVersion, 'apps/v1');
    assert.equal(typeof dep.metadata['creationTimestamp'], 'string');
    assert.ok(watch.state.get('ConfigMap:watch-test:settings'));
    assert.equal(watch.state.get('ConfigMap:kube-system:hidden'), undefined);
    assert.equal(watch.counts()['Deployment'], 1);
    assert.deepEqual(watch.unsynced(), []);
    assert.equal(changes.length, 0, 'the initial list is not reported as changes');
  });

  it('reports a kubectl scale as one update with the new object', async () => {
    await plane.kubectlOk(['scale', 'deployment/web', '-n', 'watch-test', '--replicas=5']);
    await waitForChange(changes, (c) => c.id === 'Deployment:watch-test:web' && c.change === 'update');
    const spec = watch.state.get('Deployment:watch-test:web')?.['spec'] as { replicas: number };
    assert.equal(spec.replicas, 5);
  });

  it('reports a delete', async () => {
    await plane.kubectlOk(['delete', 'configmap/settings', '-n', 'watch-test']);
    await waitForChange(changes, (c) => c.id === 'ConfigMap:watch-test:settings' && c.change === 'delete');
    assert.equal(watch.state.get('ConfigMap:watch-test:settings'), undefined);
  });

  it('restarts a silent watch and keeps delivering events', async () => {
    // The watchdog fires after 1.5 s of silence; on a loaded machine the restart can take longer.
    const restarted = () => logLines.some((l) => l.includes('"event":"watch_restarted"'));
    for (let i = 0; i < 150 && !restarted(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(restarted(), 'watchdog restarted a watch');
    await plane.kubectlOk(['create', 'configmap', 'later', '-n', 'watch-test', '--from-literal=k=v']);
    await waitForChange(changes, (c) => c.id === 'ConfigMap:watch-test:later' && c.change === 'add');
  });

  it('ignores changes in system namespaces', async () => {
    await plane.kubectlOk(['create', 'configmap', 'other', '-n', 'kube-system', '--from-literal=k=v']);
    await plane.kubectlOk(['create', 'configmap', 'marker', '-n', 'watch-test', '--from-literal=k=v']);
    await waitForChange(changes, (c) => c.id === 'ConfigMap:watch-test:marker');
    assert.equal(
      changes.find((c) => c.id.includes('kube-system')),
      undefined,
    );
  });
});

const widgetCrd = (size: number) =>
  JSON.stringify(
    crd({
      group: 'example.com',
      kind: 'ClusterWidget',
      scope: 'Cluster',
      shortNames: ['cw'],
      spec: { type: 'object', properties: { size: { type: 'integer', default: size } } },
    }),
  );

describe('cluster watch of any kind, found by discovery', () => {
  let plane: ControlPlane;
  let watch: ClusterWatch;
  const logLines: string[] = [];
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await watch?.stop();
    await plane?.stop();
  });

  it('watches a cluster-scoped CRD kind by short name, with its group in ids; an unknown kind is a readiness message', async () => {
    await plane.kubectlOk(['apply', '-f', '-'], { input: widgetCrd(3) });
    await plane.kubectlOk(['wait', '--for=condition=Established', 'crd/clusterwidgets.example.com']);
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v1\nkind: ClusterWidget\nmetadata: { name: big }\nspec: {}\n',
    });
    const config = parseConfig(
      `git: { url: /x }\nkubernetes: { kubeconfig: ${plane.kubeconfig}, resource_types: [cw, Deploymnet, hpa] }\n`,
      {},
    );
    const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => logLines.push(t) });
    await plane.kubectlOk(['create', 'namespace', 'versions']);
    await plane.kubectlOk(['apply', '-f', '-'], {
      input:
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: versions }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }, maxReplicas: 3 }\n',
    });
    // Git names the HPA in both versions: each is watched, each desired object gets its own.
    const gitVersions = (key: string) => (key === 'HorizontalPodAutoscaler' ? ['v1', 'v2'] : []);
    watch = new ClusterWatch({
      kc: loadKubeConfig(config.kubernetes),
      config: config.kubernetes,
      log,
      gitVersions,
    });
    await watch.start();
    const scopes = watch.facts.scopes;
    const schemaKeys = [...(watch.facts.crdSchemas?.keys() ?? [])];
    await watch.whenSynced();
    const live = watch.state.get('ClusterWidget.example.com::big');
    assert.ok(live, `ids: ${JSON.stringify(watch.counts())}`);
    // The server applied the schema default; the engine gets the same schema to apply to Git's copy.
    assert.deepEqual(live['spec'], { size: 3 });
    assert.deepEqual(schemaKeys, ['ClusterWidget.example.com']);
    assert.equal(scopes?.get('ClusterWidget.example.com'), false);
    assert.equal(scopes?.get('Deployment'), true);
    assert.ok(watch.tracks('ClusterWidget.example.com', ''));
    const id = 'HorizontalPodAutoscaler:versions:web';
    assert.equal(watch.get(id, 'autoscaling/v1')?.apiVersion, 'autoscaling/v1');
    assert.ok(
      watch.get(id, 'autoscaling/v1')?.['spec'] &&
        'targetCPUUtilizationPercentage' in (watch.get(id, 'autoscaling/v1')?.['spec'] as object),
    );
    assert.equal(watch.get(id, 'autoscaling/v2')?.apiVersion, 'autoscaling/v2');
    assert.deepEqual(watch.unresolved(), [
      'kubernetes.resource_types: the API server serves no resource type "Deploymnet"',
    ]);
  });

  it('learns the cluster facts again when a CRD changes: a new default, a new kind', async () => {
    const before = watch.facts.revision;
    const engineBefore = watch.facts.engineOptions(defaultEngineOptions());
    const widgetDefault = () =>
      JSON.stringify(watch.facts.crdSchemas?.get('ClusterWidget.example.com')?.get('v1') ?? null).includes(
        '"default":5',
      );
    await plane.kubectlOk(['apply', '-f', '-'], { input: widgetCrd(5) });
    await until('the changed schema learned', () => (widgetDefault() ? true : undefined), {
      timeoutMs: 30_000,
      detail: () => `revision ${watch.facts.revision} (was ${before})`,
    });
    assert.ok(watch.facts.revision > before);
    const base = defaultEngineOptions();
    const engine = watch.facts.engineOptions(base);
    assert.notEqual(engine, engineBefore, 'new facts, new engine options');
    assert.equal(watch.facts.engineOptions(base), engine, 'the same object until the facts change');
    assert.equal(engine.crdSchemas, watch.facts.crdSchemas);
    // A CRD created after start: its kind's scope is known without a restart.
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify(
        crd({ group: 'example.com', kind: 'Gizmo', spec: { type: 'object', properties: {} } }),
      ),
    });
    await until('the new kind learned', () => watch.facts.scopes?.get('Gizmo.example.com'), {
      timeoutMs: 30_000,
    });
  });
});

describe('cluster watch after errors', () => {
  let plane: ControlPlane;
  let watch: ClusterWatch;
  const logLines: string[] = [];
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await watch?.stop();
    await plane?.stop();
  });

  it('leaves out a kind it may not read (named, every other kind synced) and watches it once granted', async () => {
    const config = parseConfig(
      `git: { url: /x }\nkubernetes: { kubeconfig: ${plane.viewerKubeconfig}, resource_types: [ConfigMap, Secret] }\n`,
      {},
    );
    const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => logLines.push(t) });
    // The viewer may read Secrets from the start; ConfigMaps only after the grant below.
    await plane.kubectlOk([
      'create',
      'clusterrole',
      'secret-reader',
      '--verb=get,list,watch',
      '--resource=secrets',
    ]);
    await plane.kubectlOk([
      'create',
      'clusterrolebinding',
      'viewer-secrets',
      '--clusterrole=secret-reader',
      '--user=viewer',
    ]);
    watch = new ClusterWatch({
      kc: loadKubeConfig(config.kubernetes),
      config: config.kubernetes,
      log,
      recheckMs: 500,
    });
    await watch.start();
    await watch.whenSynced();
    assert.deepEqual(watch.unsynced(), []);
    assert.deepEqual(
      watch.deniedScopes().map((d) => [d.key, d.namespace, d.verbs]),
      [['ConfigMap', null, ['list', 'watch']]],
    );
    assert.equal(watch.tracks('ConfigMap', 'shop'), false);
    assert.equal(watch.tracks('Secret', 'shop'), true);
    const denied = logLines.filter((l) => l.includes('"event":"permission_denied"'));
    assert.equal(denied.length, 1);
    assert.match(denied[0] ?? '', /forbidden to list and watch ConfigMap \(cluster-wide\)/);
    assert.ok(!logLines.some((l) => l.includes('"event":"watch_error"')), 'no watch was tried');
    // Not the built-in `view` role: its rules come from an aggregation controller that does not run here.
    await plane.kubectlOk([
      'create',
      'clusterrole',
      'cm-reader',
      '--verb=get,list,watch',
      '--resource=configmaps',
    ]);
    await plane.kubectlOk([
      'create',
      'clusterrolebinding',
      'viewer-cm',
      '--clusterrole=cm-reader',
      '--user=viewer',
    ]);
    const deadline = Date.now() + 20_000;
    while (!(watch.tracks('ConfigMap', 'shop') && watch.synced()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(watch.deniedScopes(), []);
    assert.ok(watch.synced(), logLines.slice(-6).join(''));
    assert.ok(logLines.some((l) => l.includes('"event":"permission_granted"')));
  });
});
