// A restart on MongoDB (FerretDB v1 here) reads the snapshot of the records its clean stop kept,
// not one document per record, and is still right: the verdicts of unchanged objects are
// remembered from it, an object changed while the agent was down is detected, and a stop that
// follows writes (the restart's own detection) keeps a new snapshot that the next start reads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { allRecords, storeReadiness, verdictCounts, waitForRecord } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { untilTrue } from '../kit/poll.ts';

let NS = '';
const NAMES = ['a', 'b', 'c', 'd', 'e'];
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${NS} }\ndata: { mode: "on" }\n`;

describe('restart on MongoDB from the snapshot of the records (FerretDB)', () => {
  let plane: SharedCluster;
  let repo: TestRepo;
  let db: FerretDB;
  let agent: AgentProcess | undefined;
  const start = async (): Promise<AgentProcess> => {
    agent = await startAgent({
      config: {
        kubernetes: { kubeconfig: plane.kubeconfig, namespaces: [NS], resource_types: ['ConfigMap'] },
        git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
        drift: { periodic: false, interval: '1s', unmanaged: 'ignore' },
        database: { uri: db.uri, name: 'driftguard_snapshot', connect_timeout: '5s' },
      },
      startTimeoutMs: 120_000,
    });
    await agent.waitForLog((l) => l['event'] === 'analysis_completed', 60_000);
    return agent;
  };
  /** Stops the agent; the number of records its stop kept (null: it logged none kept). */
  const stop = async (): Promise<number | null> => {
    const a = agent;
    agent = undefined;
    await a?.stop();
    const kept = a?.logs().find((l) => l.includes('"store_snapshot_kept"'));
    return kept ? (JSON.parse(kept) as { records: number }).records : null;
  };
  const loadedFrom = (a: AgentProcess) =>
    a
      .logs()
      .filter((l) => l.includes('"store_loaded"'))
      .map((l) => JSON.parse(l) as { from: string; records: number })
      .map((l) => `${l.from} ${l.records}`);

  before(async () => {
    plane = await sharedCluster(import.meta.url);
    NS = plane.namespace;
    db = await startFerretDB();
    const files = Object.fromEntries(NAMES.map((n) => [`manifests/cm-${n}.yaml`, configMap(n)]));
    repo = makeRepo(files);
    await plane.kubectlOk(['apply', '-f', '-'], { input: Object.values(files).join('---\n') });
  });
  after(async () => {
    await agent?.stop();
    await db?.stop();
    await plane?.stop();
    repo?.remove();
  });

  it('a clean stop keeps the records; the restart reads them, remembers, and finds what changed meanwhile', async () => {
    const first = await start();
    assert.deepEqual(loadedFrom(first), ['database 0']);
    // A first start writes its records behind its answer: stored before the stop, or none is kept.
    await untilTrue(
      'the first records stored',
      async () => !(await storeReadiness(first)).includes('behind'),
      {
        timeoutMs: 30_000,
      },
    );
    assert.equal((await allRecords(first)).length, NAMES.length);
    assert.equal(await stop(), NAMES.length);

    await plane.kubectlOk(['patch', 'configmap', 'c', '-n', NS, '-p', '{"data":{"mode":"off"}}']);
    const second = await start();
    assert.deepEqual(loadedFrom(second), [`snapshot ${NAMES.length}`]);
    await waitForRecord(second, `ConfigMap:${NS}:c`, (r) => r.drift_status === 'active', 30_000);
    assert.deepEqual(await verdictCounts(second), { computed: 1, remembered: NAMES.length - 1 });
    // Its detection was written after it took the snapshot: its stop keeps a new one, with it.
    assert.equal(await stop(), NAMES.length);

    const third = await start();
    assert.deepEqual(loadedFrom(third), [`snapshot ${NAMES.length}`]);
    const c = (await allRecords(third)).find((r) => r.resource_id === `ConfigMap:${NS}:c`);
    assert.equal(c?.drift_status, 'active');
    assert.deepEqual(await verdictCounts(third), { computed: 0, remembered: NAMES.length });
  });
});
