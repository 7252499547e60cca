// The confirm stage through the agent, installed as a user installs it on the full cluster: the
// shipped manifests (ClusterRole driftguard-agent-confirm + the dry-run-only
// ValidatingAdmissionPolicy) and the agent's real image on the real node (test/kit/agent-pod.ts),
// reached through the plugin's port-forward. Skips, with the reason, where there is no real node. The same real admission chain as the plugin's suite (admission.ts):
// what admission wrote is explained (no record active, confirmed by the server), the object a
// webhook refuses to dry-run keeps its suspected drift, `confirmed: false` with the reason; a real
// kubectl change is drift, `confirmed: true`; /ready names the confirm component and the confirm
// metrics count the requests. Then the read-only overlay (its RBAC, `drift.confirm: off`): the
// verdicts are the normalised comparison's alone, exactly what `analyze --local --confirm=false`
// reports, every detail unconfirmed, and no request is sent.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftRecord, DriftResult, Readiness } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { waitForRecord } from '../kit/agent-fixture.ts';
import { agentPodSkipReason, installAgentPod, type AgentPod } from '../kit/agent-pod.ts';
import { until } from '../kit/poll.ts';
import { parseJson, runPlugin, tempDir, type JsonReport } from '../kit/plugin.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { build, MANIFESTS, type ManifestDoc } from '../manifests/kustomize.ts';
import { AUDIT_REFUSAL, installAdmission, MIRROR, type Admission } from './admission.ts';
import { admissionNamespace, appsYaml } from './apps.ts';

const NS = 'confirm-agent';
const WEB = `Deployment:${NS}:web`;
const AUDITED = `Deployment:${NS}:audited`;
const C = 'spec.template.spec.containers[name=web]';

let cluster: Cluster;
let admission: Admission;
let repo: TestRepo;
let installed: AgentPod | undefined;
const skip = agentPodSkipReason();
if (skip) console.log(`# confirm agent suite skipped: ${skip}`);
/** The agent's API and health ports (through the port-forward). */
type AgentUrls = Pick<AgentPod, 'apiUrl' | 'healthUrl'>;

async function record(agent: AgentUrls, id: string): Promise<DriftRecord> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}`);
  assert.equal(res.status, 200, `GET ${id}: ${res.status}`);
  return (await res.json()) as DriftRecord;
}

async function readiness(agent: AgentUrls): Promise<Readiness> {
  return (await (await fetch(`${agent.healthUrl}/ready`)).json()) as Readiness;
}

/** driftguard_confirm_requests_total by outcome, and the duration histogram's count. */
async function confirmMetrics(
  agent: AgentUrls,
): Promise<{ byOutcome: Record<string, number>; timed: number }> {
  const text = await (await fetch(`${agent.healthUrl}/metrics`)).text();
  const byOutcome: Record<string, number> = {};
  for (const m of text.matchAll(/^driftguard_confirm_requests_total\{outcome="(\w+)"\} (\S+)$/gm))
    byOutcome[m[1] ?? ''] = Number(m[2]);
  let timed = 0;
  for (const m of text.matchAll(/^driftguard_confirm_request_duration_seconds_count(?:\{[^}]*\})? (\S+)$/gm))
    timed += Number(m[1]);
  return { byOutcome, timed };
}

const active = (r: { drift_status: string }) => r.drift_status === 'active';

/** Until the agent has completed its first analysis (its metric), as the process's log said before. */
async function analysed(agent: AgentUrls): Promise<void> {
  await until(
    'the first analysis',
    async () => {
      const text = await (await fetch(`${agent.healthUrl}/metrics`).catch(() => null))?.text();
      const at = /^driftguard_last_analysis_success_timestamp_seconds (\S+)$/m.exec(text ?? '')?.[1];
      return Number(at) > 0 ? true : undefined;
    },
    { timeoutMs: 120_000 },
  );
}

describe('confirm through the agent installed from manifests/ (real node, real admission)', { skip }, () => {
  before(async () => {
    cluster = await startCluster({ realNode: true });
    admission = await installAdmission(cluster);
    await admissionNamespace(cluster, NS);
    const yaml = appsYaml(NS);
    await cluster.kubectlOk(['apply', '-f', '-'], { input: yaml });
    repo = makeRepo({ 'apps.yaml': yaml });
    installed = await installAgentPod(cluster, { repo, env: { DRIFTGUARD_DRIFT_INTERVAL: '1h' } });
    await analysed(installed);
  });
  after(async () => {
    await installed?.stop();
    repo?.remove();
    await admission?.stop();
    await cluster?.stop();
  });

  it('what admission wrote is explained; a refused dry-run leaves the drift unconfirmed, with why', async () => {
    const agent = installed!;
    const web = await waitForRecord(agent, WEB, () => true, 30_000);
    assert.notEqual(web.drift_status, 'active', `web: ${JSON.stringify(web.drift_details)}`);

    const audited = await record(agent, AUDITED);
    assert.equal(audited.drift_status, 'active', 'the refused dry-run lost the suspected drift');
    assert.ok(audited.drift_details.length > 0);
    for (const d of audited.drift_details) {
      assert.equal(d.confirmed, false, d.path);
      assert.match(d.confirm_reason ?? '', new RegExp(`dry-run refused: .*${AUDIT_REFUSAL}`), d.path);
    }

    const ready = await readiness(agent);
    const confirm = ready.components.find((c) => c.name === 'confirm');
    assert.ok(confirm, JSON.stringify(ready.components));
    assert.equal(confirm.ready, true);
    assert.match(confirm.message, /may dry-run every tracked kind/);

    // One dry-run each, answered for web and refused (by the webhook) for audited.
    const m = await confirmMetrics(agent);
    assert.ok((m.byOutcome['ok'] ?? 0) >= 1, JSON.stringify(m));
    assert.ok((m.byOutcome['refused'] ?? 0) >= 1, JSON.stringify(m));
    assert.equal(
      m.timed,
      Object.values(m.byOutcome).reduce((a, b) => a + b, 0),
    );
  });

  it('a real change is drift, confirmed by the server, with its type; the metrics move', async () => {
    const agent = installed!;
    const before = await confirmMetrics(agent);
    const dep = ['-n', NS, 'deployment/web'];
    await cluster.kubectlOk(['label', ...dep, 'team=payments']);
    // The mirror policy prefixes the new image again: a field admission also writes.
    await cluster.kubectlOk(['set', 'image', ...dep, 'web=nginx:1.26']);
    const web = await waitForRecord(
      agent,
      WEB,
      (r) => active(r) && r.drift_details.some((d) => d.path === `${C}.image`),
      60_000,
    );
    const details = (web as unknown as DriftRecord).drift_details;
    assert.deepEqual(
      details.map((d) => [d.path, d.type, d.confirmed]).sort(),
      [
        ['metadata.labels.team', 'LabelChange', true],
        [`${C}.image`, 'VersionChange', true],
      ].sort(),
    );
    assert.equal(details.find((d) => d.path === `${C}.image`)?.live, `${MIRROR}nginx:1.26`);
    const after = await confirmMetrics(agent);
    assert.ok(
      (after.byOutcome['ok'] ?? 0) > (before.byOutcome['ok'] ?? 0),
      JSON.stringify({ before, after }),
    );
  });

  it('the read-only overlay (confirm: off) gives the normalised comparison alone, no request', async () => {
    await installed?.uninstall();
    installed = undefined;
    // The overlay as a user applies it: its objects, minus what it deletes from the base (the
    // confirm ClusterRole and binding), and its Deployment's DRIFTGUARD_* settings.
    const base = await build(MANIFESTS);
    const ro = await build(join(MANIFESTS, 'overlays', 'read-only'));
    const key = (d: ManifestDoc) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`;
    const kept = new Set(ro.map(key));
    const dir = tempDir('driftguard-read-only-');
    writeFileSync(join(dir, 'read-only.yaml'), ro.map((d) => JSON.stringify(d)).join('\n---\n'));
    await cluster.kubectlOk(['apply', '-f', join(dir, 'read-only.yaml')]);
    const removed = base.filter((d) => !kept.has(key(d)));
    assert.ok(
      removed.some((d) => d.kind === 'ClusterRole'),
      'the overlay no longer removes the confirm role',
    );
    for (const d of removed) await cluster.kubectlOk(['delete', d.kind, d.metadata.name]);

    // The overlay itself is what the test overlay builds on: its DRIFTGUARD_* settings come with it.
    overlayEnv(ro);
    const agent = await installAgentPod(cluster, {
      repo,
      base: join(MANIFESTS, 'overlays', 'read-only'),
      env: { DRIFTGUARD_DRIFT_INTERVAL: '1h' },
    });
    installed = agent;
    try {
      await analysed(agent);
      const confirm = (await readiness(agent)).components.find((c) => c.name === 'confirm');
      assert.match(confirm?.message ?? '', /^off/);

      // Today's verdicts: the same fields, types and reasons as the plugin with --confirm=false.
      const plain = parseJson<JsonReport<DriftResult>>(
        await runPlugin([
          'analyze',
          '--local',
          '--repo',
          repo.dir,
          '--kubeconfig',
          cluster.kubeconfig,
          '-o',
          'json',
          '--confirm=false',
        ]),
      );
      for (const id of [WEB, AUDITED]) {
        const rec = await waitForRecord(agent, id, active, 30_000);
        const details = (rec as unknown as DriftRecord).drift_details;
        const local = plain.drift_records.find((r) => r.resource_id === id);
        assert.ok(local, `${id} not in analyze --local`);
        const shape = (ds: { path: string; type: string }[]) => ds.map((d) => `${d.path} ${d.type}`).sort();
        assert.deepEqual(shape(details), shape(local.drift_details), id);
        for (const d of details) {
          assert.equal(d.confirmed, false, d.path);
          assert.match(d.confirm_reason ?? '', /drift\.confirm is off/, d.path);
        }
      }
      // Admission's mirror prefix is among them: what confirm explained above.
      const web = (await record(agent, WEB)).drift_details;
      assert.ok(web.some((d) => d.path === `${C}.image`));
      const sent = Object.values((await confirmMetrics(agent)).byOutcome);
      assert.equal(
        sent.reduce((a, b) => a + b, 0),
        0,
        'confirm is off, yet requests were counted',
      );
    } finally {
      await agent.stop();
      installed = undefined;
    }
  });
});

/** The DRIFTGUARD_* values the overlay's agent Deployment sets (literal values only). */
function overlayEnv(docs: ManifestDoc[]): Record<string, string> {
  const out: Record<string, string> = {};
  const dep = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'driftguard-agent') as
    | (ManifestDoc & {
        spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
      })
    | undefined;
  for (const c of dep?.spec.template.spec.containers ?? [])
    for (const e of c.env ?? [])
      if (e.name.startsWith('DRIFTGUARD_') && e.value !== undefined) out[e.name] = e.value;
  assert.equal(out['DRIFTGUARD_DRIFT_CONFIRM'], 'off', 'the overlay no longer turns confirm off');
  return out;
}
