// Reaching the agent without --agent-url: pod discovery through the kubeconfig and a port-forward,
// against a real control plane. There is no kubelet here, so a port-forward can never complete:
// what is proven is discovery (not found, not ready, forbidden for the unprivileged user), that a
// Ready pod is chosen and a port-forward is attempted through the API server, and that its
// failure (no node to forward to, or RBAC forbidding pods/portforward) is one clear line, fast.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { runPlugin, type RunResult } from '../kit/plugin.ts';

const ONE_LINE = /^error: [^\n]+\n$/;

function agentPod(name: string, labels: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'driftguard', labels },
    spec: { containers: [{ name: 'agent', image: 'driftguard:dev', ports: [{ containerPort: 8080 }] }] },
  });
}

describe('connecting to the agent through the cluster', () => {
  let plane: ControlPlane;
  const dg = (args: string[], kubeconfig = plane.kubeconfig): Promise<RunResult> =>
    runPlugin([...args, '--kubeconfig', kubeconfig], {
      env: { DRIFTGUARD_CONNECT_TIMEOUT_MS: '5000' },
      timeoutMs: 30_000,
    });

  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  it('no agent pod: says how to install it or bypass discovery', async () => {
    const r = await dg(['status']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: no DriftGuard agent pod in namespace driftguard (selector app.kubernetes.io/name=driftguard): install it with kubectl apply -k manifests/ or pass --agent-url\n',
    );
    assert.equal(r.stdout, '');
  });

  it('an unknown --context is refused before anything is tried', async () => {
    const r = await dg(['status', '--context', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: context "nope" not found in kubeconfig \(contexts: local\)\n$/);
  });

  it('forbidden for a user without RBAC on pods', async () => {
    const r = await dg(['get'], plane.viewerKubeconfig);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: forbidden: cannot list pods in namespace driftguard (RBAC: needs get/list pods and create pods/portforward in namespace driftguard, or pass --agent-url)\n',
    );
  });

  it('a pod that is not Ready is named with its phase', async () => {
    await plane.kubectlOk(['create', 'namespace', 'driftguard']);
    await plane.kubectlOk(['create', '-f', '-'], {
      input: agentPod('driftguard-agent-0', { 'app.kubernetes.io/name': 'driftguard' }),
    });
    const r = await dg(['status']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: DriftGuard agent pod in namespace driftguard is not ready (driftguard-agent-0: Pending): check kubectl -n driftguard describe pod, or pass --agent-url\n',
    );
    await plane.kubectlOk([
      '-n',
      'driftguard',
      'patch',
      'pod',
      'driftguard-agent-0',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }),
    ]);
    const running = await dg(['status']);
    assert.match(running.stderr, /is not ready \(driftguard-agent-0: Running, not Ready\)/);
  });

  it('a Ready pod is port-forwarded to; with no kubelet the attempt fails in one line, not a hang', async () => {
    await plane.kubectlOk([
      '-n',
      'driftguard',
      'patch',
      'pod',
      'driftguard-agent-0',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }),
    ]);
    for (const args of [['status'], ['get', '-o', 'json'], ['analyze']]) {
      const r = await dg(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, ONE_LINE);
      assert.match(
        r.stderr,
        /^error: cannot port-forward to pod driftguard\/driftguard-agent-0 port 8080: .*pass --agent-url/,
      );
      assert.equal(r.stdout, '');
    }
    const port = await dg(['status', '--agent-port', '9090']);
    assert.match(port.stderr, /port 9090/);
    const version = await dg(['version']);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, 'Plugin Version: 0.1.0\n');
    assert.match(
      version.stderr,
      /^note: agent version unknown: cannot port-forward to pod driftguard\/driftguard-agent-0 port 8080/,
    );
  });

  it('RBAC that allows listing pods but not pods/portforward is reported as such', async () => {
    await plane.kubectlOk([
      '-n',
      'driftguard',
      'create',
      'role',
      'pod-reader',
      '--verb=get,list',
      '--resource=pods',
    ]);
    await plane.kubectlOk([
      '-n',
      'driftguard',
      'create',
      'rolebinding',
      'viewer-pod-reader',
      '--role=pod-reader',
      '--user=viewer',
    ]);
    const r = await dg(['status'], plane.viewerKubeconfig);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: forbidden: cannot port-forward to pod driftguard/driftguard-agent-0 port 8080 (RBAC: needs get/list pods and create pods/portforward in namespace driftguard, or pass --agent-url)\n',
    );
  });

  it('--agent-namespace and --agent-selector choose where to look', async () => {
    const other = await dg(['status', '--agent-selector', 'app=other']);
    assert.match(
      other.stderr,
      /^error: no DriftGuard agent pod in namespace driftguard \(selector app=other\)/,
    );
    const ns = await dg(['status', '--agent-namespace', 'elsewhere']);
    assert.match(ns.stderr, /^error: no DriftGuard agent pod in namespace elsewhere /);
    const bad = await dg(['status', '--agent-selector', '!!!']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, ONE_LINE);
  });
});
