// `kubectl driftguard` the way every user reaches the agent: no --agent-url. The agent's real
// image runs on the harness's real node (kubelet, containerd, runc), installed with `kubectl apply
// -k` of manifests/ through the small test overlay (test/kit/agent-pod.ts), and each command finds
// the pod and port-forwards through kube-apiserver and the real kubelet, carrying real data. Also:
// the forward is closed on every exit path, two commands at once, the agent gone, and who may use
// it (the shipped driftguard-user Role). One real-node cluster for the whole file. Skips, with the
// reason, on a host that cannot run a real node or has no image built.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftRecord, DriftRecordList } from '../../shared/types.ts';
import { waitForRecord } from '../kit/agent-fixture.ts';
import { AGENT_NAMESPACE } from '../kit/in-cluster.ts';
import { agentPodSkipReason, installAgentPod, type AgentPod } from '../kit/agent-pod.ts';
import { until } from '../kit/poll.ts';
import { binaries } from '../cluster/binaries.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../kit/repos.ts';
import { startTmux, tmuxAvailable } from '../ui/tmux.ts';
import {
  COMPLETE,
  parseJson,
  PLUGIN,
  ROOT,
  runBin,
  runPlugin,
  tempDir,
  type RunResult,
} from '../kit/plugin.ts';

const WEB = 'Deployment:demo:web';
const AUTOSCALED = 'Deployment:demo:autoscaled';
/** minReplicas above the Deployment's replicas: the HPA controller raises spec.replicas to 3. */
const AUTOSCALED_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: autoscaled, namespace: demo }
spec:
  replicas: 1
  selector: { matchLabels: { app: autoscaled } }
  template:
    metadata: { labels: { app: autoscaled } }
    spec:
      containers: [{ name: app, image: "nginx:1.27.3", resources: { requests: { cpu: 50m } } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: autoscaled, namespace: demo }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: autoscaled }
  minReplicas: 3
  maxReplicas: 6
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }]
`;
const SA = `system:serviceaccount:${AGENT_NAMESPACE}:driftguard-agent`;

let cluster: Cluster;
let repo: TestRepo;
let installed: AgentPod;
const skip = agentPodSkipReason();
if (skip) console.log(`# in-cluster suite skipped: ${skip}`);

function dg(args: string[], kubeconfig = cluster.kubeconfig): Promise<RunResult> {
  return runPlugin([...args, '--kubeconfig', kubeconfig], { timeoutMs: 60_000 });
}

/**
 * Local TCP listeners owned by a running `kubectl driftguard` process: the plugin's port-forward
 * is a listener on 127.0.0.1, so one left open after a command or a UI session shows up here.
 */
function pluginListeners(): string[] {
  const out = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => {
    const pid = /pid=(\d+)/.exec(line)?.[1];
    if (!pid) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kubectl-driftguard');
    } catch {
      return false; // exited meanwhile
    }
  });
}

describe('kubectl driftguard through the port-forward (agent image, real node)', { skip }, () => {
  before(async () => {
    cluster = await startCluster({ realNode: true });
    console.log(`# full cluster + real node started in ${cluster.startSeconds.toFixed(1)} s`);
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'examples', 'namespace.yaml')]);
    await cluster.kubectlOk(['apply', '-f', join(ROOT, 'examples')]);
    await cluster.kubectlOk(['apply', '-f', '-'], { input: AUTOSCALED_YAML });
    repo = makeRepo({ ...exampleManifests({}), 'autoscaled.yaml': AUTOSCALED_YAML });
    installed = await installAgentPod(cluster, { repo, env: { DRIFTGUARD_DRIFT_INTERVAL: '1h' } });
    console.log(
      `# agent pod ${installed.pod.name} Ready ${installed.readySeconds.toFixed(1)} s after apply -k`,
    );
    // The first analysis is done once the examples have records.
    await waitForRecord(installed, WEB, (r) => r.drift_status === 'none', 120_000);
    await cluster.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    await waitForRecord(installed, WEB, (r) => r.drift_status === 'active', 60_000);
  });
  after(async () => {
    await installed?.stop();
    await cluster?.stop();
    repo?.remove();
  });

  it("the agent's ServiceAccount may read what it tracks and write nothing", async () => {
    const can = async (verb: string, resource: string, ns?: string): Promise<string> => {
      const r = await cluster.kubectl([
        'auth',
        'can-i',
        verb,
        resource,
        `--as=${SA}`,
        ...(ns ? ['-n', ns] : []),
      ]);
      return r.stdout.trim();
    };
    for (const resource of ['deployments.apps', 'services', 'configmaps', 'secrets']) {
      for (const verb of ['get', 'list', 'watch'])
        assert.equal(await can(verb, resource), 'yes', `${verb} ${resource}`);
    }
    // RBAC lets it create and patch the tracked kinds for confirm's dry-runs; the shipped policy
    // refuses every such request that is not a dry-run (below). Nothing else.
    assert.equal(await can('patch', 'deployments.apps', 'demo'), 'yes');
    assert.equal(await can('delete', 'secrets', 'demo'), 'no');
    assert.equal(await can('update', 'configmaps', 'demo'), 'no');
    const real = await cluster.kubectl(['-n', 'demo', 'annotate', 'configmap', '--all', 'x=y', `--as=${SA}`]);
    assert.notEqual(real.code, 0, 'a real write as the agent is refused');
    assert.match(real.stderr, /driftguard-agent-dry-run-only.*denied request/);
  });

  it('no false positive once the controllers have acted (ReplicaSets, revisions, Endpoints, HPA)', async () => {
    // The HPA controller raises replicas 1 → 3 (its field, through the scale subresource).
    const deadline = Date.now() + 60_000;
    let replicas = '';
    while (Date.now() < deadline && replicas !== '3') {
      replicas = await cluster.kubectlOk([
        '-n',
        'demo',
        'get',
        'deploy',
        'autoscaled',
        '-o',
        'jsonpath={.spec.replicas}',
      ]);
      if (replicas !== '3') await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(replicas, '3', 'the HPA controller corrected spec.replicas');
    await cluster.waitForDeployments('demo');
    const analyze = parseJson<DriftRecordList>(await dg(['analyze', '-o', 'json']));
    assert.deepEqual(
      analyze.drift_records.map((r) => `${r.resource_id} ${r.drift_type}`),
      [`${WEB} Scaling`],
      'only the drift made by hand',
    );
    const autoscaled = parseJson<DriftRecord>(await dg(['get', AUTOSCALED, '-o', 'json']));
    assert.equal(autoscaled.drift_status, 'none');
  });

  it('status, get, describe, analyze and version show the real agent data through the forward', async () => {
    const status = await dg(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^\d+ resources tracked, 1 active drift/);
    assert.match(status.stdout, /Deployment\/demo\/web\s+Scaling\s+medium\s+\S+\s+kubectl-scale/);

    const api = (await (
      await fetch(`${installed.apiUrl}/api/v1/drift-records?limit=1000`)
    ).json()) as DriftRecordList;
    const got = parseJson<DriftRecordList>(await dg(['get', '-o', 'json']));
    assert.equal(got.count, api.count);
    assert.deepEqual(
      got.drift_records.map((r) => r.resource_id).sort(),
      api.drift_records.map((r) => r.resource_id).sort(),
    );

    const one = parseJson<DriftRecord>(await dg(['get', WEB, '-o', 'json']));
    assert.equal(one.drift_type, 'Scaling');
    const describe = await dg(['describe', 'deployment/web', '-n', 'demo']);
    assert.equal(describe.code, 0, describe.stderr);
    assert.match(describe.stdout, /- desired: 2\n {4}\+ live: {4}5\n/);

    const analyze = await dg(['analyze', '--exit-code']);
    assert.equal(analyze.code, 1, analyze.stderr);
    assert.match(analyze.stderr, /analysis \S+ completed in [\d.]+s: \d+ resources, 1 drifted/);

    const version = parseJson<{ agent: { version: string } | null }>(await dg(['version', '-o', 'json']));
    assert.ok(version.agent?.version, 'the agent answered through the forward');
    assert.deepEqual(pluginListeners(), [], 'no port-forward listener left after the commands');
  });

  it('completion asks the agent through the forward, via the real kubectl', async () => {
    const bin = tempDir('driftguard-path-');
    for (const [name, target] of [
      ['kubectl-driftguard', PLUGIN],
      ['kubectl_complete-driftguard', COMPLETE],
    ] as const) {
      writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      KUBECONFIG: cluster.kubeconfig,
    };
    delete env['DRIFTGUARD_AGENT_URL'];
    const out = execFileSync(binaries().kubectl, ['__complete', 'driftguard', 'describe', 'Deployment:'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.ok(out.split('\n').includes(WEB), out);
    const direct = await runBin(COMPLETE, ['describe', 'Deployment:'], {
      env: { KUBECONFIG: cluster.kubeconfig },
    });
    assert.ok(direct.stdout.split('\n').includes(WEB), direct.stdout);
  });

  it('two commands at once each get their own forward and their own answer', async () => {
    const [a, b] = await Promise.all([dg(['status', '-o', 'json']), dg(['get', WEB, '-o', 'json'])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(parseJson<DriftRecordList>(a).count, 1);
    assert.equal(parseJson<DriftRecord>(b).resource_id, WEB);
    assert.deepEqual(pluginListeners(), []);
  });

  it(
    'the terminal UI works through the forward, and Ctrl-C closes it',
    { skip: !tmuxAvailable() && 'tmux is not installed' },
    async () => {
      const term = startTmux(
        [process.execPath, 'bin/kubectl-driftguard.js', 'ui', '--kubeconfig', cluster.kubeconfig],
        {
          columns: 100,
          rows: 30,
          cwd: ROOT,
          env: { NO_COLOR: '1', DRIFTGUARD_AGENT_URL: '' },
        },
      );
      try {
        const screen = await term.waitFor(/Deployment\/web/, 60_000);
        assert.match(screen, /DriftGuard ▸ active drifts/);
        term.keys('C-c');
        const deadline = Date.now() + 15_000;
        while (term.exitStatus() === null && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        assert.notEqual(term.exitStatus(), null, 'the UI exited on Ctrl-C');
        assert.deepEqual(pluginListeners(), [], 'no port-forward listener left after Ctrl-C');
      } finally {
        term.stop();
      }
    },
  );

  it('a user bound to the shipped driftguard-user Role can use it; without pods/portforward: the RBAC line', async () => {
    // viewer has no rights at first: pods get/list only (a Role of our own) → the port-forward is refused.
    await cluster.kubectlOk([
      '-n',
      AGENT_NAMESPACE,
      'create',
      'role',
      'pods-only',
      '--verb=get,list',
      '--resource=pods',
    ]);
    await cluster.kubectlOk([
      '-n',
      AGENT_NAMESPACE,
      'create',
      'rolebinding',
      'viewer-pods-only',
      '--role=pods-only',
      '--user=viewer',
    ]);
    const refused = await dg(['status'], cluster.viewerKubeconfig);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^error: forbidden: cannot port-forward to pod driftguard\/\S+ port 8080 \(RBAC: needs get\/list pods and create pods\/portforward in namespace driftguard, or pass --agent-url\)\n$/,
    );
    await cluster.kubectlOk([
      '-n',
      AGENT_NAMESPACE,
      'create',
      'rolebinding',
      'viewer-driftguard-user',
      '--role=driftguard-user',
      '--user=viewer',
    ]);
    const allowed = await dg(['status'], cluster.viewerKubeconfig);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /1 active drift/);
  });

  it('nothing listening on the port, then the agent gone: one clear line each, exit 2', async () => {
    // A pod whose port answers nothing (what a crashed agent leaves until its pod is NotReady):
    // the real kubelet accepts the forward's stream and the refused connection inside the pod
    // shows as no answer, so the plugin's request deadline ends it, in one line.
    const closed = await dg(['status', '--agent-port', '9']);
    assert.equal(closed.code, 2, closed.stderr);
    assert.match(
      closed.stderr,
      /^error: agent at http:\/\/127\.0\.0\.1:\d+ did not answer in time \([^\n]*\n$/,
    );
    assert.equal(closed.stdout, '');
    await cluster.kubectlOk(['-n', AGENT_NAMESPACE, 'scale', 'deployment/driftguard-agent', '--replicas=0']);
    await until(
      'no agent pod left, not even terminating',
      async () =>
        (await cluster.kubectlOk(['-n', AGENT_NAMESPACE, 'get', 'pods', '-o', 'name'])).trim() === ''
          ? true
          : undefined,
      { timeoutMs: 90_000 },
    );
    const r = await dg(['status']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: no DriftGuard agent pod in namespace driftguard[^\n]*\n$/);
    assert.equal(r.stdout, '');
  });
});
