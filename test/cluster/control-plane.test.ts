// Proof that the local control plane is a real one: objects created with the real kubectl come
// back through @kubernetes/client-node carrying what only a real API server adds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { binaries } from './binaries.ts';
import { startControlPlane, type ControlPlane } from './control-plane.ts';

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: nginx:1.27.3
`;

describe('local control plane', () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('serves the pinned Kubernetes version to the built kubectl', async () => {
    const out = JSON.parse(await plane.kubectlOk(['version', '-o', 'json'])) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    assert.equal(out.serverVersion.gitVersion, binaries().kubernetesVersion);
    assert.equal(out.clientVersion.gitVersion, binaries().kubernetesVersion);
  });

  it('defaults and tracks a Deployment applied with kubectl', async () => {
    await plane.kubectlOk(['apply', '-f', '-'], { input: deployment });
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfig);
    const apps = kc.makeApiClient(AppsV1Api);
    const dep = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(dep.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(dep.spec?.strategy?.rollingUpdate?.maxSurge, '25%');
    assert.equal(dep.spec?.progressDeadlineSeconds, 600);
    assert.match(dep.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(dep.metadata?.resourceVersion ?? '', /^\d+$/);
    const managers = (dep.metadata?.managedFields ?? []).map((m) => m.manager);
    assert.ok(managers.includes('kubectl-client-side-apply'), `managers: ${managers.join(',')}`);
    assert.equal(dep.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
  });

  it('enforces RBAC for an unprivileged user', async () => {
    const r = await plane.kubectl(['get', 'deployments', '-n', 'default'], {
      kubeconfig: plane.viewerKubeconfig,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /forbidden/i);
  });
});
