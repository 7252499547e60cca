// Proof that the full local cluster behaves like a real one: the controllers write what they write
// in production, Pods are scheduled onto the kwok node and run, and a port-forward through
// kube-apiserver and kwok carries real bytes to a local process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { binaries } from './binaries.ts';
import { NODE_NAME, startCluster, type Cluster } from './cluster.ts';
import { freePort } from './ports.ts';
import { until } from '../kit/poll.ts';

const app = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx:1.27.3, ports: [{ containerPort: 8080 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 3
  maxReplicas: 5
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } } }]
`;

describe('full local cluster (controllers, scheduler, kwok node)', () => {
  let cluster: Cluster;
  let echo: Server;
  before(async () => {
    cluster = await startCluster();
    console.log(`# full cluster started in ${cluster.startSeconds.toFixed(1)} s`);
    echo = createServer((req, res) => res.end(`hello from ${req.url}`));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    await cluster.kubectlOk(['apply', '-f', '-'], { input: app });
  });
  after(async () => {
    echo?.close();
    await cluster?.stop();
  });

  it('has a Ready node and makes the default ServiceAccount and kube-root-ca.crt in every namespace', async () => {
    const ready = await cluster.kubectlOk([
      'get',
      'node',
      NODE_NAME,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    assert.equal(ready, 'True');
    await until(
      'default ServiceAccount in shop',
      async () =>
        (await cluster.kubectl(['-n', 'shop', 'get', 'sa', 'default'])).code === 0 ? true : undefined,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const ca = await until(
      'kube-root-ca.crt in shop',
      async () => {
        const r = await cluster.kubectl([
          '-n',
          'shop',
          'get',
          'cm',
          'kube-root-ca.crt',
          '-o',
          'jsonpath={.data.ca\\.crt}',
        ]);
        return r.code === 0 && r.stdout.includes('BEGIN CERTIFICATE') ? r.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.match(ca, /BEGIN CERTIFICATE/);
  });

  it('schedules and runs a Deployment: ReplicaSet, revision annotation, Pods Running on the kwok node', async () => {
    await cluster.waitForDeployments('shop');
    const revision = await cluster.kubectlOk([
      '-n',
      'shop',
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
    ]);
    assert.equal(revision, '1');
    const pods = JSON.parse(
      await cluster.kubectlOk(['-n', 'shop', 'get', 'pods', '-l', 'app=web', '-o', 'json']),
    ) as {
      items: {
        spec: { nodeName: string };
        status: { phase: string };
        metadata: { ownerReferences: { kind: string }[] };
      }[];
    };
    assert.ok(pods.items.length >= 2);
    for (const p of pods.items) {
      assert.equal(p.spec.nodeName, NODE_NAME);
      assert.equal(p.status.phase, 'Running');
      assert.equal(p.metadata.ownerReferences[0]?.kind, 'ReplicaSet');
    }
  });

  it('makes Endpoints and EndpointSlices for a Service with a selector', async () => {
    const slices = await until(
      'an EndpointSlice with ready endpoints',
      async () => {
        const out = await cluster.kubectlOk([
          '-n',
          'shop',
          'get',
          'endpointslices',
          '-l',
          'kubernetes.io/service-name=web',
          '-o',
          'jsonpath={.items[*].endpoints[*].addresses[0]}',
        ]);
        return out.trim() ? out : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.match(slices, /^10\.244\./);
  });

  it('lets the HPA controller correct spec.replicas into [minReplicas, maxReplicas]', async () => {
    const replicas = await until(
      'replicas raised to minReplicas',
      async () => {
        const out = await cluster.kubectlOk([
          '-n',
          'shop',
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.spec.replicas}',
        ]);
        return out === '3' ? out : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.equal(replicas, '3');
  });

  it('carries bytes through kubectl port-forward → kube-apiserver → kwok → a local server', async () => {
    const target = (echo.address() as { port: number }).port;
    await cluster.forwardPod('shop', { selector: 'app=web' }, 8080, target);
    const local = await freePort();
    const pod = (
      await cluster.kubectlOk([
        '-n',
        'shop',
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[0].metadata.name}',
      ])
    ).trim();
    const child = spawn(
      binaries().kubectl,
      ['--kubeconfig', cluster.kubeconfig, '-n', 'shop', 'port-forward', `pod/${pod}`, `${local}:8080`],
      { stdio: 'ignore' },
    );
    try {
      const body = await until(
        'a response through the port-forward',
        async () => {
          const res = await fetch(`http://127.0.0.1:${local}/through-the-cluster`);
          return res.ok ? await res.text() : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      assert.equal(body, 'hello from /through-the-cluster');
    } finally {
      child.kill();
    }
  });
});
