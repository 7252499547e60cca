// The shipped manifests, built with kustomize as `kubectl apply -k` does, are accepted by a real API
// server; the agent's config in them is one the agent accepts; the Deployment is hardened; the API
// is bound to loopback while probes and metrics use the second listener.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../agent/config/load.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { MANIFESTS, build, buildYaml, find, type ManifestDoc } from './kustomize.ts';

interface Container {
  name: string;
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
}
interface PodSpec {
  serviceAccountName?: string;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  affinity?: { podAntiAffinity?: unknown };
  containers: Container[];
}
type Deployment = ManifestDoc & {
  spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

function configText(docs: ManifestDoc[]): string {
  const cm = find(docs, 'ConfigMap', 'driftguard-config') as ManifestDoc & { data: Record<string, string> };
  return cm.data['config.yaml'] ?? '';
}

describe('shipped manifests', () => {
  let plane: ControlPlane;
  let base: ManifestDoc[];
  before(async () => {
    base = await build(MANIFESTS);
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('kubectl apply -k manifests/ creates every object of the base', async () => {
    await plane.kubectlOk(['apply', '-k', MANIFESTS]);
    const names = (
      await plane.kubectlOk(['get', '-f', '-', '-o', 'name'], { input: await buildYaml(MANIFESTS) })
    )
      .trim()
      .split('\n');
    assert.equal(names.length, base.length);
    assert.ok(names.includes('deployment.apps/driftguard-agent'), names.join(' '));
    assert.ok(names.includes('serviceaccount/driftguard-agent'), names.join(' '));
    assert.ok(names.includes('role.rbac.authorization.k8s.io/driftguard-user'), names.join(' '));
  });

  it('the with-mongodb overlay is accepted (server-side dry run) and adds MongoDB and the Secret', async () => {
    const dir = join(MANIFESTS, 'overlays', 'with-mongodb');
    await plane.kubectlOk(['apply', '-k', dir, '--dry-run=server']);
    const docs = await build(dir);
    find(docs, 'StatefulSet', 'driftguard-mongodb');
    find(docs, 'Secret', 'driftguard-db');
    assert.equal(docs.filter((d) => d.kind === 'Deployment').length, 1, 'the base is included once');
  });

  it('carry an agent config the agent accepts, with the database URI from the Secret', () => {
    const config = parseConfig(
      configText(base),
      { DRIFTGUARD_DATABASE_URI: 'mongodb://db:27017/' },
      'manifests/base/config.yaml',
    );
    assert.equal(config.server.address, '127.0.0.1');
    assert.equal(config.database.uri, 'mongodb://db:27017/');
    assert.equal(config.kubernetes.in_cluster, true);
  });

  it('keep the API on loopback and probes on the health port', () => {
    const config = configText(base);
    assert.match(config, /address: 127\.0\.0\.1/);
    assert.match(config, /health_port: 8081/);
    const agent = find(base, 'Deployment', 'driftguard-agent') as Deployment;
    const container = agent.spec.template.spec.containers[0];
    assert.equal(container?.readinessProbe?.httpGet?.port, 'health');
    assert.equal(container?.readinessProbe?.httpGet?.path, '/ready');
    assert.equal(container?.livenessProbe?.httpGet?.path, '/health');
    assert.deepEqual(
      container?.ports?.map((p) => p.containerPort),
      [8080, 8081],
    );
  });

  it('run two hardened replicas spread over nodes, with a PodDisruptionBudget', () => {
    const agent = find(base, 'Deployment', 'driftguard-agent') as Deployment;
    assert.equal(agent.metadata.namespace, 'driftguard');
    assert.equal(agent.spec.replicas, 2);
    const pod = agent.spec.template.spec;
    assert.equal(agent.spec.template.metadata.labels['app.kubernetes.io/name'], 'driftguard');
    assert.equal(pod.serviceAccountName, 'driftguard-agent');
    assert.equal(pod.securityContext?.runAsNonRoot, true);
    assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault');
    assert.ok(pod.affinity?.podAntiAffinity, 'pod anti-affinity');
    for (const c of pod.containers) {
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, c.name);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, c.name);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], c.name);
      assert.equal(c.securityContext?.capabilities?.add, undefined, c.name);
      assert.ok(c.resources?.requests?.['cpu'] && c.resources.requests['memory'], `${c.name} requests`);
      assert.ok(c.resources?.limits?.['memory'], `${c.name} memory limit`);
    }
    const pdb = find(base, 'PodDisruptionBudget', 'driftguard-agent') as ManifestDoc & {
      spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    };
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'driftguard',
      'app.kubernetes.io/component': 'agent',
    });
  });

  // What the policy is checked against here is its meaning, not its enforcement: kube-apiserver
  // validated it above (apply -k), and test/image/real-node.test.ts sees it select the running pod.
  // Nothing in the test cluster enforces it (a bridge CNI ignores NetworkPolicies; the README says
  // enforcement depends on the CNI).
  it('the NetworkPolicy selects the agent pod and admits exactly what probes and the metrics scrape need', () => {
    const np = find(base, 'NetworkPolicy', 'driftguard-agent') as ManifestDoc & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { from?: unknown[]; ports: { protocol?: string; port: number | string }[] }[];
      };
    };
    const agent = find(base, 'Deployment', 'driftguard-agent') as Deployment;
    const labels = agent.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels))
      assert.equal(labels[k], v, `the policy's selector ${k}=${v} matches the agent pod's labels`);
    assert.deepEqual(np.spec.policyTypes, ['Ingress'], 'egress (API server, Git, MongoDB) stays open');
    const container = agent.spec.template.spec.containers[0]!;
    const portOf = (p: number | string): number => {
      if (typeof p === 'number') return p;
      const named = container.ports?.find((c) => c.name === p)?.containerPort;
      assert.ok(named, `port ${p} is one of the container's`);
      return named;
    };
    const svc = find(base, 'Service', 'driftguard-metrics') as ManifestDoc & {
      spec: { ports: { name: string; targetPort: number | string }[] };
    };
    // The kubelet's probes and Prometheus (ServiceMonitor port `metrics` → the Service's targetPort).
    const needed = new Set(
      [
        ...svc.spec.ports.map((p) => p.targetPort),
        container.readinessProbe?.httpGet?.port ?? 0,
        container.livenessProbe?.httpGet?.port ?? 0,
      ].map(portOf),
    );
    const admitted = np.spec.ingress.flatMap((r) => r.ports.map((p) => portOf(p.port)));
    assert.deepEqual([...new Set(admitted)].sort(), [...needed].sort());
    for (const r of np.spec.ingress) {
      assert.equal(r.from, undefined, 'probes and scrapers come from anywhere in the cluster');
      for (const p of r.ports) assert.equal(p.protocol ?? 'TCP', 'TCP');
    }
    // The API is not admitted: it listens on the pod's loopback, and the plugin's port-forward
    // enters the pod's network namespace through the kubelet, which NetworkPolicy does not govern.
    const config = parseConfig(configText(base), { DRIFTGUARD_DATABASE_URI: 'mongodb://db:27017/' });
    assert.equal(config.server.address, '127.0.0.1');
    assert.ok(!admitted.includes(config.server.port), `API port ${config.server.port} not admitted`);
    assert.ok(admitted.includes(config.server.health_port), 'the health/metrics listener is admitted');
  });
});
