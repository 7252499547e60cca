// Remembered verdicts, end to end on a real API server: a full run over unchanged objects runs the
// engine for none of them, also after a restart (the memo key is stored on the record); a changed
// live object, a commit, a CRD schema and a rule each make the engine run again for exactly the
// objects whose verdict they can change. Counted by driftguard_verdicts_total{how}. A full run
// after a complete pass looks only at what changed since (agent/analysis/changes.ts): with nothing
// changed it looks at no object at all; a commit, a rule or a CRD schema makes it a whole pass again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { allRecords, getRecord, verdictCounts, waitForRecord } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';

/** The file's namespace and the Widget CRD's group on the shared plane (set in before()). */
let NS = '';
let GROUP = '';
const crd = (withDefault: boolean) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.${GROUP} }
spec:
  group: ${GROUP}
  names: { kind: Widget, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: { type: integer }
              color: { type: string${withDefault ? ', default: blue' : ''} }
`;
const configMap = (name: string, mode: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${NS} }\ndata: { mode: "${mode}" }\n`;
const widget = (name: string) =>
  `apiVersion: ${GROUP}/v1\nkind: Widget\nmetadata: { name: ${name}, namespace: ${NS} }\nspec: { size: 1 }\n`;

const CONFIGMAPS = ['a', 'b', 'c', 'd'];
const WIDGETS = ['w1', 'w2'];
/** The tracked objects: the namespace, four ConfigMaps, two Widgets. */
const TRACKED = 1 + CONFIGMAPS.length + WIDGETS.length;

function files(): Record<string, string> {
  const out: Record<string, string> = {
    'manifests/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }\n`,
  };
  for (const n of CONFIGMAPS) out[`manifests/cm-${n}.yaml`] = configMap(n, 'on');
  for (const n of WIDGETS) out[`manifests/widget-${n}.yaml`] = widget(n);
  return out;
}

/** A manual full run, waited for; the verdict counters it added and its pass (full, or changed ids only). */
async function fullRun(
  agent: AgentProcess,
): Promise<{ computed: number; remembered: number; pass: unknown }> {
  const before = await verdictCounts(agent);
  const res = await fetch(`${agent.apiUrl}/api/v1/analyze`, { method: 'POST', body: '{}' });
  const { analysis_id: id } = (await res.json()) as { analysis_id: string };
  const done = await agent.waitForLog(
    (l) => l['event'] === 'analysis_completed' && l['analysis_id'] === id,
    60_000,
  );
  const now = await verdictCounts(agent);
  return {
    computed: now.computed - before.computed,
    remembered: now.remembered - before.remembered,
    pass: done['pass'],
  };
}

describe('remembered verdicts (real API server)', () => {
  let plane: SharedCluster;
  let repo: TestRepo;
  let agent: AgentProcess | undefined;
  const storeDir = mkdtempSync(join(tmpdir(), 'driftguard-memo-'));
  const start = async (rules?: Record<string, unknown>): Promise<AgentProcess> => {
    agent = await startAgent({
      config: {
        kubernetes: {
          kubeconfig: plane.kubeconfig,
          // Only this file's namespace: the plane may be shared with other files.
          namespaces: [NS],
          resource_types: ['Namespace', 'ConfigMap', 'Widget'],
        },
        // The Git poll runs every drift.interval (1 s).
        git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
        drift: { periodic: false, interval: '1s', unmanaged: 'ignore', ...(rules ? { rules } : {}) },
        database: { path: join(storeDir, 'driftguard.db') },
      },
      // Only a guard against a hang: a loaded shared machine starts node slowly.
      startTimeoutMs: 120_000,
    });
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 60_000);
    return agent;
  };
  const restart = async (rules?: Record<string, unknown>) => {
    await agent?.stop();
    return start(rules);
  };

  before(async () => {
    plane = await sharedCluster(import.meta.url);
    NS = plane.namespace;
    GROUP = `${plane.id}.example.com`;
    await plane.kubectlOk(['apply', '-f', '-'], { input: crd(false) });
    await plane.kubectlOk(['wait', '--for=condition=Established', `crd/widgets.${GROUP}`]);
    repo = makeRepo(files());
    await plane.kubectlOk(['apply', '-f', '-'], { input: Object.values(files()).join('---\n') });
  });
  after(async () => {
    await agent?.stop();
    // The CRD is cluster-scoped: gone before the next file on the shared plane runs discovery.
    await plane?.kubectl(['delete', 'crd', `widgets.${GROUP}`, '--ignore-not-found']);
    await plane?.stop();
    repo?.remove();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('the first analysis computes every verdict; a full run over nothing changed looks at none', async () => {
    const a = await start();
    assert.deepEqual(await verdictCounts(a), { computed: TRACKED, remembered: 0 });
    assert.deepEqual(await fullRun(a), { computed: 0, remembered: 0, pass: 'changed' });
    const r = await getRecord(a, `ConfigMap:${NS}:a`);
    assert.match(
      String((r as { verdict_key?: unknown } | null)?.verdict_key),
      /^v2:[0-9a-f]{16}\|[-0-9a-f]+@\d+$/,
    );
  });

  it('a changed live object: its verdict only', async () => {
    const a = agent!;
    const before = await verdictCounts(a);
    await plane.kubectlOk(['patch', 'configmap', 'a', '-n', NS, '-p', '{"data":{"mode":"off"}}']);
    await waitForRecord(a, `ConfigMap:${NS}:a`, (r) => r.drift_status === 'active', 30_000);
    const now = await verdictCounts(a);
    assert.equal(now.computed - before.computed, 1, 'the watch event ran the engine once');
    // The next full run looks at that object again (a lookup), at no other.
    assert.deepEqual(await fullRun(a), { computed: 0, remembered: 1, pass: 'changed' });
    assert.deepEqual(await fullRun(a), { computed: 0, remembered: 0, pass: 'changed' });
  });

  it('a commit: the objects of the files it changed only (also after a restart)', async () => {
    const a = agent!;
    const before = await verdictCounts(a);
    const commit = repo.commit({ 'manifests/cm-b.yaml': configMap('b', 'changed') }, 'b changes');
    await waitForRecord(a, `ConfigMap:${NS}:b`, (r) => r.git_commit === commit, 30_000);
    const now = await verdictCounts(a);
    assert.equal(now.computed - before.computed, 1);
    assert.equal((await getRecord(a, `ConfigMap:${NS}:c`))?.git_commit === commit, false);
    // A new commit: the next full run is a whole pass again (every verdict a lookup), then none.
    assert.deepEqual(await fullRun(a), { computed: 0, remembered: TRACKED, pass: 'full' });
    assert.deepEqual(await fullRun(a), { computed: 0, remembered: 0, pass: 'changed' });
  });

  it('a restart: every verdict remembered from the stored records, none rewritten', async () => {
    const checked = async (x: AgentProcess) =>
      (await allRecords(x)).map((r) => `${r.resource_id} ${r.last_checked} ${r.git_commit}`).sort();
    const before = await checked(agent!);
    const a = await restart();
    assert.deepEqual(await verdictCounts(a), { computed: 0, remembered: TRACKED });
    assert.deepEqual(await checked(a), before, 'no record written: last_checked and git_commit as they were');
  });

  it("a CRD schema: that kind's objects only", async () => {
    await agent?.stop();
    agent = undefined;
    await plane.kubectlOk(['apply', '-f', '-'], { input: crd(true) });
    const a = await start();
    assert.deepEqual(await verdictCounts(a), {
      computed: WIDGETS.length,
      remembered: TRACKED - WIDGETS.length,
    });
  });

  it('a rule: every verdict', async () => {
    const a = await restart({ ignore: [{ path: 'metadata.labels.unused' }] });
    assert.deepEqual(await verdictCounts(a), { computed: TRACKED, remembered: 0 });
  });
});
