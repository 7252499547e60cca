// Helm releases as a source, without Git, on the full cluster with the real helm: the desired
// state is the manifest Helm stored for each release's deployed revision (Secret driver and
// ConfigMap driver), hooks are not compared, objects without a namespace are the release's; a
// kubectl change is drift; `helm upgrade` and `helm rollback` move the baseline; `releases:`
// filters which releases are a source (another release's objects are then Unmanaged).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { allRecords, isEvent, waitForRecord } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { runHelm } from '../render/tools.ts';

let plane: Cluster;
let agent: AgentProcess;
let chart: string;

/** A small chart: a ConfigMap and a Deployment without namespace, and a hook left in place. */
function writeChart(dir: string): void {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'greeting: hello\nreplicas: 1\n');
  writeFileSync(
    join(dir, 'templates', 'config.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  );
  writeFileSync(
    join(dir, 'templates', 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}-api',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  selector:',
      '    matchLabels: { app: {{ .Release.Name }} }',
      '  template:',
      '    metadata:',
      '      labels: { app: {{ .Release.Name }} }',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          image: registry.example/api:1.0',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'templates', 'hook.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    helm.sh/hook: post-install,post-upgrade\ndata:\n  ran: "yes"\n',
  );
}

const helm = (args: string[], driver = 'secret'): Promise<void> =>
  runHelm(plane.kubeconfig, plane.dir, args, { HELM_DRIVER: driver });

interface SourceStats {
  name: string;
  type: string | null;
  git_commit: string | null;
  objects: number;
}
const statistics = async (): Promise<SourceStats[]> =>
  (
    (await (await fetch(`${agent.apiUrl}/api/v1/statistics`)).json()) as {
      statistics: { sources: SourceStats[] };
    }
  ).statistics.sources;

const greeting = (value: string) => [
  'patch',
  'configmap/web-config',
  '-n',
  'hr-a',
  '--type',
  'merge',
  '-p',
  JSON.stringify({ data: { greeting: value } }),
];

describe('helm-release source (no Git)', () => {
  before(async () => {
    plane = await startCluster();
    chart = mkdtempSync(join(tmpdir(), 'driftguard-helm-release-'));
    writeChart(chart);
    for (const ns of ['hr-a', 'hr-b']) await plane.kubectlOk(['create', 'namespace', ns]);
    await helm(['install', 'web', chart, '-n', 'hr-a']);
    await helm(
      ['install', 'cmweb', chart, '-n', 'hr-a', '--set', 'greeting=from-configmap-driver'],
      'configmap',
    );
    await helm(['install', 'other', chart, '-n', 'hr-b']);
    agent = await startAgent({
      config: {
        kubernetes: { kubeconfig: plane.kubeconfig, namespaces: ['hr-a', 'hr-b'] },
        git: {},
        sources: [{ name: 'releases', type: 'helm-release', releases: ['hr-a/web', 'hr-a/cmweb'] }],
        drift: { interval: '1s' },
      } as unknown as Record<string, Record<string, unknown>>,
    });
    await agent.waitReady(90_000);
    await agent.waitForLog(isEvent('analysis_completed'), 60_000);
  });
  after(async () => {
    await agent?.stop();
    await plane?.stop();
    if (chart) rmSync(chart, { recursive: true, force: true });
  });

  it('tracks the deployed manifest of each listed release, in its namespace, hooks left out', async () => {
    const all = await allRecords(agent);
    const bySource = (s: string) =>
      all
        .filter((r) => (r as { source?: string | null }).source === s)
        .map((r) => `${r.resource_id} ${r.drift_status} ${r.git_commit}`)
        .sort();
    assert.deepEqual(bySource('helm/hr-a/web'), [
      'ConfigMap:hr-a:web-config none revision 1',
      'Deployment:hr-a:web-api none revision 1',
    ]);
    assert.deepEqual(bySource('helm/hr-a/cmweb'), [
      'ConfigMap:hr-a:cmweb-config none revision 1',
      'Deployment:hr-a:cmweb-api none revision 1',
    ]);
    // Hooks are Helm's own, never desired; the unlisted release is not a source: its objects are Unmanaged.
    assert.equal(
      all.find((r) => r.resource_id === 'ConfigMap:hr-a:web-hook'),
      undefined,
      JSON.stringify(all.map((r) => r.resource_id)),
    );
    const other = all.find((r) => r.resource_id === 'ConfigMap:hr-b:other-config');
    assert.equal(other?.drift_type, 'Unmanaged');
    assert.equal((other as { source?: string | null } | undefined)?.source ?? null, null);
    const stats = await statistics();
    assert.deepEqual(
      stats.map((s) => [s.name, s.type, s.git_commit, s.objects]),
      [
        ['helm/hr-a/cmweb', 'helm', 'revision 1', 2],
        ['helm/hr-a/web', 'helm', 'revision 1', 2],
      ],
    );
    const filtered = await fetch(
      `${agent.apiUrl}/api/v1/drift-records?source=${encodeURIComponent('helm/hr-a/web')}`,
    );
    assert.equal(filtered.status, 200);
    const body = (await filtered.json()) as { drift_records: { resource_id: string }[] };
    assert.deepEqual(body.drift_records.map((r) => r.resource_id).sort(), [
      'ConfigMap:hr-a:web-config',
      'Deployment:hr-a:web-api',
    ]);
  });

  it('a kubectl change is drift against the stored manifest', async () => {
    await plane.kubectlOk(greeting('by-hand'));
    const r = await waitForRecord(
      agent,
      'ConfigMap:hr-a:web-config',
      (x) => x.drift_status === 'active',
      30_000,
    );
    assert.deepEqual(
      r.drift_details.map((d) => [d.path, d.desired, d.live]),
      [['data.greeting', 'hello', 'by-hand']],
    );
    await plane.kubectlOk(['scale', 'deployment/cmweb-api', '-n', 'hr-a', '--replicas=3']);
    await waitForRecord(agent, 'Deployment:hr-a:cmweb-api', (x) => x.drift_status === 'active', 30_000);
  });

  it('helm upgrade moves the baseline: the same value upgraded in is no longer drift', async () => {
    await helm(['upgrade', 'web', chart, '-n', 'hr-a', '--set', 'greeting=by-hand']);
    // The baseline is now revision 2: hello by hand is drift.
    await baselineMovedTo('revision 2', 'by-hand', 'hello');
  });

  it('helm rollback moves it back: revision 1 manifest (as revision 3) is the baseline', async () => {
    await helm(['rollback', 'web', '1', '-n', 'hr-a']);
    await baselineMovedTo('revision 3', 'hello', 'by-hand');
    // The release payload (chart, values: base64 of gzip starts H4sI) is never logged.
    assert.equal(agent.logs().filter((l) => l.includes('H4sI')).length, 0);
  });
});

/**
 * After an upgrade or rollback to `revision` whose greeting is `desired`: web-config is not drift,
 * then `other` set by hand is drift against `desired`.
 */
async function baselineMovedTo(revision: string, desired: string, other: string): Promise<void> {
  const id = 'ConfigMap:hr-a:web-config';
  const r = await waitForRecord(
    agent,
    id,
    (x) => x.drift_status !== 'active' && x.git_commit === revision,
    30_000,
  );
  assert.deepEqual(r.drift_details, []);
  await plane.kubectlOk(greeting(other));
  const again = await waitForRecord(agent, id, (x) => x.drift_status === 'active', 30_000);
  assert.deepEqual(
    again.drift_details.map((d) => [d.path, d.desired, d.live]),
    [['data.greeting', desired, other]],
  );
}
