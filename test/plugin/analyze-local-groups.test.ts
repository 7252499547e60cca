// `analyze --local` and the agent when one aggregated API is down (metrics-server's APIService with
// no backend, a common sight): the group that cannot be read is named with its kinds — on stderr and
// in the JSON for the plugin, in /ready for the agent — and everything else is analysed. Also: `-n` says which objects it left out instead of dropping
// cluster-scoped ones silently. Real kube-apiserver (its aggregator answers 503), real kustomize.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { DriftResult } from '../../shared/types.ts';
import { binaries } from '../cluster/binaries.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { startAgent } from '../kit/agent-process.ts';
import { parseJson, runPlugin, tempDir, type JsonReport } from '../kit/plugin.ts';
import { untilTrue } from '../kit/poll.ts';
import { makeRepo } from '../kit/repos.ts';

const NS = 'groups';

/** An APIService for `group/version` routed to a Service that has no backend. */
function apiService(group: string, version: string): object {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}` },
    spec: {
      group,
      version,
      service: { name: 'no-backend', namespace: NS, port: 443 },
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 10,
    },
  };
}

const DESIRED = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { a: '1' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: NS } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'groups-reader' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  },
  { apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: NS }, spec: {} },
];

interface Report extends JsonReport<DriftResult> {
  unreadable?: { api_version: string; kinds: string[]; reason: string; resource_ids: string[] }[];
}

describe('analyze --local with an aggregated API that is down', () => {
  let plane: ControlPlane;
  let repo: string;
  before(async () => {
    plane = await startControlPlane();
    await plane.kubectlOk(['create', 'namespace', NS]);
    await plane.kubectlOk(['-n', NS, 'create', 'service', 'clusterip', 'no-backend', '--tcp=443:443']);
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [apiService('metrics.k8s.io', 'v1beta1'), apiService('widgets.example.com', 'v1')],
      }),
    });
    // Everything Git declares that the server can hold is there, in sync.
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: DESIRED.slice(0, 3) }),
    });
    repo = tempDir('driftguard-groups-');
    mkdirSync(join(repo, 'app'));
    DESIRED.forEach((o, i) => writeFileSync(join(repo, 'app', `${i}.yaml`), stringify(o)));
    writeFileSync(
      join(repo, 'app', 'kustomization.yaml'),
      stringify({ resources: DESIRED.map((_, i) => `${i}.yaml`) }),
    );
  });
  after(async () => {
    await plane?.stop();
  });

  const analyze = (extra: string[]): ReturnType<typeof runPlugin> =>
    runPlugin(
      ['analyze', '--local', '--repo', repo, '--path', 'app', '--kubeconfig', plane.kubeconfig, ...extra],
      { env: { DRIFTGUARD_KUSTOMIZE: binaries().kustomize } },
    );

  it('the server really answers 503 for those groups (the premise)', async () => {
    const r = await plane.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /503|ServiceUnavailable|service unavailable/i);
  });

  it('names the unreadable groups and their kinds, and analyses the rest', async () => {
    const r = await analyze(['-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = parseJson<Report>(r);
    assert.deepEqual(json.drift_records.map((d) => [d.kind, d.drift_detected]).sort(), [
      ['ClusterRole', false],
      ['ConfigMap', false],
      ['ServiceAccount', false],
    ]);
    const widgets = json.unreadable?.find((u) => u.api_version === 'widgets.example.com/v1');
    assert.ok(widgets, JSON.stringify(json.unreadable));
    assert.deepEqual(widgets.kinds, ['Widget']);
    assert.match(widgets.reason, /HTTP 503/);
    assert.deepEqual(widgets.resource_ids, [`Widget.widgets.example.com:${NS}:w1`]);
    const metrics = json.unreadable?.find((u) => u.api_version === 'metrics.k8s.io/v1beta1');
    assert.ok(metrics, 'the group no Git object is in is named too');
    assert.deepEqual(metrics.kinds, []);
    assert.match(
      r.stderr,
      /cannot read widgets\.example\.com\/v1 from the cluster \(HTTP 503.*\): 1 object\(s\) of kind Widget not analysed/,
    );
    assert.match(r.stderr, /cannot read metrics\.k8s\.io\/v1beta1 from the cluster \(HTTP 503/);
  });

  it('-n says what it left out (cluster-scoped objects)', async () => {
    const r = await analyze(['-n', NS, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = parseJson<Report>(r);
    assert.deepEqual(json.drift_records.map((d) => d.kind).sort(), ['ConfigMap', 'ServiceAccount']);
    assert.match(
      r.stderr,
      new RegExp(`-n ${NS}: 1 cluster-scoped object\\(s\\) not analysed \\(ClusterRole/groups-reader\\)`),
    );
  });

  it('the agent watches the rest and names the unreadable group and its configured kind in /ready', async () => {
    const git = makeRepo({ 'app/settings.yaml': stringify(DESIRED[0]) });
    const agent = await startAgent({
      config: {
        kubernetes: {
          kubeconfig: plane.kubeconfig,
          resource_types: ['ConfigMap', 'Widget.widgets.example.com'],
        },
        git: { url: git.dir, branch: git.branch, path: 'app' },
        drift: { periodic: false },
      },
    });
    try {
      let body = '';
      await untilTrue(
        'the agent names the unreadable groups and watches ConfigMaps',
        async () => {
          body = JSON.stringify(await (await fetch(`${agent.healthUrl}/ready`)).json());
          return /synced \(ConfigMap: \d+/.test(body) && /cannot read metrics\.k8s\.io\/v1beta1/.test(body);
        },
        { timeoutMs: 60_000, intervalMs: 200, detail: () => body },
      );
      assert.match(
        body,
        /cannot read widgets\.example\.com\/v1 from the API server \(HTTP 503[^)]*\): Widget\.widgets\.example\.com not watched, not analysed/,
      );
      assert.match(
        body,
        /cannot read metrics\.k8s\.io\/v1beta1 from the API server \(HTTP 503[^)]*\): none of kubernetes\.resource_types is in it/,
      );
    } finally {
      await agent.stop();
      git.remove();
    }
  });
});
