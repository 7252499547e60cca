// One view over many clusters (issue 28 item 4): three agents with three cluster names write to one
// FerretDB, each tracking its own namespace of one real API server; real drift is made with
// kubectl; the real plugin, talking to whichever one agent, shows them all:
// - `status --all-clusters`: one line per cluster with the counts each agent's own statistics give;
// - `get --all-clusters`: a CLUSTER column with rows of all three; `get --cluster X`: X's only;
// - `?cluster=*` in the API: every cluster's records; an unknown cluster: a clear error naming the known.
// - one record and its history of cluster B read through cluster A's agent (`?cluster=B`, `describe
//   --cluster B`) are what B's own agent serves; acting on B's drift through A's kubeconfig/agent
//   (`revert --cluster B`, `d` in the browser) is refused naming both clusters, and nothing changes;
// - `ui --all-clusters` in a real terminal (tmux): a CLUSTER column; `:cluster NAME`, `:cluster` alone
//   (the agent's own) and an unknown name (the agent's error on the status line); another cluster's
//   drift opens with its history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { startFerretDB, type FerretDB } from '../cluster/ferretdb.ts';
import type { DriftHistory, DriftRecord, DriftRecordList, Statistics } from '../../shared/types.ts';
import { isEvent, waitForRecord } from '../kit/agent-fixture.ts';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { runPlugin } from '../kit/plugin.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { until } from '../kit/poll.ts';
import { webDeployment } from '../kit/web-deployment.ts';
import { startBrowser, tmuxAvailable, type TmuxSession } from '../ui/tmux.ts';

const CLUSTERS = ['east', 'north', 'west'] as const;
type Name = (typeof CLUSTERS)[number];

/** Each cluster's namespace holds a Deployment and a ConfigMap, as its Git declares them. */
const manifests = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: { name: ${ns} }
---
${webDeployment(ns)}---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ${ns} }
data: { mode: blue }
`;
const nsOf = (c: Name) => `shop-${c}`;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/** `NAME: T resources tracked, A active drift(s) (H high, M medium, L low), last analysis … ago, agent V`. */
const LINE =
  /^([a-z0-9-]+): (\d+) resources tracked, (\d+) active drifts? \((\d+) high, (\d+) medium, (\d+) low\), last analysis \S+ ago, agent (\S+)$/;

describe('one view over three clusters on one FerretDB, through the real plugin', () => {
  let plane: ControlPlane;
  let db: FerretDB;
  const repos: TestRepo[] = [];
  const agents = new Map<Name, AgentProcess>();
  const agentOf = (c: Name): AgentProcess => {
    const a = agents.get(c);
    assert.ok(a, c);
    return a;
  };

  before(async () => {
    plane = await startControlPlane();
    db = await startFerretDB();
    for (const c of CLUSTERS) {
      const repo = makeRepo({ 'manifests/app.yaml': manifests(nsOf(c)) });
      repos.push(repo);
      await plane.kubectlOk(['apply', '-f', '-'], { input: manifests(nsOf(c)) });
      const agent = await startAgent({
        config: {
          kubernetes: { kubeconfig: plane.kubeconfig, cluster: c },
          // Not `shared`: each agent is the only writer of its own cluster's records.
          database: { uri: db.uri, name: 'fleet' },
          git: { url: repo.dir, branch: repo.branch, path: 'manifests' },
          // Whatever finds a drift here is the watch; each agent tracks only what its Git declares.
          drift: { periodic: false, interval: '1h', unmanaged: 'ignore' },
        },
      });
      agents.set(c, agent);
      await agent.waitReady(90_000);
      await agent.waitForLog(isEvent('analysis_completed'), 60_000);
    }
    // east: two drifts (replicas and data); west: one (data); north: none.
    await plane.kubectlOk(['-n', nsOf('east'), 'scale', 'deployment/web', '--replicas=5']);
    for (const c of ['east', 'west'] as const)
      await plane.kubectlOk([
        '-n',
        nsOf(c),
        'patch',
        'configmap/settings',
        '--type=merge',
        '-p',
        '{"data":{"mode":"green"}}',
      ]);
    const active = (r: { drift_status: string }) => r.drift_status === 'active';
    await waitForRecord(agentOf('east'), `Deployment:${nsOf('east')}:web`, active, 60_000);
    await waitForRecord(agentOf('east'), `ConfigMap:${nsOf('east')}:settings`, active, 60_000);
    await waitForRecord(agentOf('west'), `ConfigMap:${nsOf('west')}:settings`, active, 60_000);
  });
  let term: TmuxSession | undefined;
  after(async () => {
    term?.stop();
    for (const a of agents.values()) await a.stop().catch(() => undefined);
    for (const r of repos) r.remove();
    await db?.stop();
    await plane?.stop();
  });

  it('status --all-clusters: one line per cluster, with the counts and version its own agent reports', async () => {
    // The oracle: each cluster's own agent, computing its statistics from its own records.
    const expected: string[][] = [];
    for (const c of CLUSTERS) {
      const own = (await getJson<{ statistics: Statistics }>(`${agentOf(c).apiUrl}/api/v1/statistics`))
        .statistics;
      const version = await getJson<{ version: string }>(`${agentOf(c).apiUrl}/api/v1/version`);
      const sev = own.by_severity;
      expected.push(
        [c, own.total_resources, own.active_drifts, sev.high ?? 0, sev.medium ?? 0, sev.low ?? 0].map(String),
      );
      expected.at(-1)?.push(version.version);
    }
    // Each agent publishes its summary within about a second of a change: wait for the last one.
    let last = '';
    const lines = await until(
      'status --all-clusters agreeing with each agent',
      async () => {
        const r = await runPlugin(['status', '--all-clusters', '--agent-url', agentOf('north').apiUrl]);
        assert.equal(r.code, 0, r.stderr);
        last = r.stdout;
        const got = r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => LINE.exec(l)?.slice(1) ?? [l]);
        return JSON.stringify(got) === JSON.stringify(expected) ? got : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        detail: () => `last: ${last}; expected ${JSON.stringify(expected)}`,
      },
    );
    assert.equal(lines.length, 3, last);
    // And the figures themselves: two objects each (the Namespace is not tracked); two, none and one active drift.
    assert.deepEqual(
      lines.map((m) => m.slice(1, 3).join('/')),
      ['2/2', '2/0', '2/1'],
    );
  });

  it('get --all-clusters: a CLUSTER column with rows of all three; get --cluster X: X only', async () => {
    const all = await runPlugin(['get', '--all-clusters', '--agent-url', agentOf('west').apiUrl]);
    assert.equal(all.code, 0, all.stderr);
    const [header = '', ...rows] = all.stdout.trimEnd().split('\n');
    assert.match(header, /^CLUSTER\s+RESOURCE\s+STATUS/);
    const clusterCol = rows.map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(clusterCol, ['east', 'east', 'north', 'north', 'west', 'west']);
    const activeRows = rows
      .filter((l) => /\sactive\s/.test(l))
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    assert.deepEqual(activeRows.sort(), [
      `east ConfigMap/${nsOf('east')}/settings`,
      `east Deployment/${nsOf('east')}/web`,
      `west ConfigMap/${nsOf('west')}/settings`,
    ]);

    const one = await runPlugin([
      'get',
      '--cluster',
      'west',
      '-o',
      'json',
      '--agent-url',
      agentOf('east').apiUrl,
    ]);
    assert.equal(one.code, 0, one.stderr);
    const west = JSON.parse(one.stdout) as DriftRecordList;
    assert.equal(west.count, 2);
    assert.deepEqual([...new Set(west.drift_records.map((x) => x.cluster))], ['west']);
    const table = await runPlugin(['get', '--cluster', 'north', '--agent-url', agentOf('east').apiUrl]);
    assert.equal(table.code, 0, table.stderr);
    assert.deepEqual(
      table.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
      ['north', 'north'],
    );
  });

  it('an unknown cluster is a clear error naming the known ones, never an empty success', async () => {
    const r = await runPlugin(['get', '--cluster', 'sotuh', '--agent-url', agentOf('east').apiUrl]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(
      r.stderr,
      /no records for cluster sotuh in this database; known clusters: east, north, west/,
    );
    assert.equal(r.stdout, '');
  });

  it('the API: ?cluster=* returns every cluster’s records; statistics list the three clusters', async () => {
    const url = `${agentOf('east').apiUrl}/api/v1/drift-records?cluster=*&limit=1000`;
    const list = await getJson<DriftRecordList>(url);
    assert.equal(list.count, 6);
    const perCluster = new Map<string, number>();
    for (const r of list.drift_records) perCluster.set(r.cluster, (perCluster.get(r.cluster) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(perCluster), { east: 2, north: 2, west: 2 });
    const active = await getJson<DriftRecordList>(
      `${agentOf('north').apiUrl}/api/v1/drift-records/active?cluster=*`,
    );
    assert.deepEqual(active.drift_records.map((r) => r.cluster).sort(), ['east', 'east', 'west']);
    const { statistics } = await getJson<{ statistics: Statistics }>(
      `${agentOf('west').apiUrl}/api/v1/statistics`,
    );
    assert.deepEqual(
      statistics.clusters.map((c) => [
        c.cluster,
        c.total_resources,
        c.active_drifts,
        c.last_analysis !== null,
      ]),
      [
        ['east', 2, 2, true],
        ['north', 2, 0, true],
        ['west', 2, 1, true],
      ],
    );
  });

  /** What stays the same between two reads of one record with nothing changing (compared as values: one agent answers from memory, the other from the database, in another key order). */
  const stable = (r: DriftRecord) => [
    r.cluster,
    r.resource_id,
    r.drift_status,
    r.drift_type,
    r.severity,
    r.first_detected,
    r.drift_details,
  ];

  it("one record and its history of another cluster, through this agent, are that cluster's own", async () => {
    const id = `ConfigMap:${nsOf('west')}:settings`;
    const path = `/api/v1/drift-records/${encodeURIComponent(id)}`;
    const east = agentOf('east').apiUrl;
    const west = agentOf('west').apiUrl;
    // The oracle: west's own agent.
    const own = await getJson<DriftRecord>(`${west}${path}`);
    const ownHistory = await getJson<DriftHistory>(`${west}${path}/history`);
    assert.equal(own.drift_status, 'active');
    assert.ok(ownHistory.count >= 1, JSON.stringify(ownHistory));

    const viaEast = await getJson<DriftRecord>(`${east}${path}?cluster=west`);
    assert.deepEqual(stable(viaEast), stable(own));
    const historyViaEast = await getJson<DriftHistory>(`${east}${path}/history?cluster=west`);
    assert.deepEqual(historyViaEast, ownHistory);
    assert.deepEqual([...new Set(historyViaEast.events.map((e) => e.cluster))], ['west']);
    // Without ?cluster= east reads its own cluster, which does not track west's namespace.
    assert.equal((await fetch(`${east}${path}`)).status, 404);
    // The desired state is each agent's own: east names the agent that holds west's.
    const desired = await fetch(`${east}${path}/desired?cluster=west`);
    assert.equal(desired.status, 404);
    assert.match(
      await desired.text(),
      /desired state of cluster west is held by that cluster's agent, not this one \(cluster east\)/,
    );
    const ownDesired = `${east}/api/v1/drift-records/${encodeURIComponent(`Deployment:${nsOf('east')}:web`)}/desired?cluster=east`;
    assert.equal((await fetch(ownDesired)).status, 200);

    // The plugin: describe --cluster west through east's agent.
    const described = await runPlugin([
      'describe',
      '--cluster',
      'west',
      'configmap/settings',
      '-n',
      nsOf('west'),
      '-o',
      'json',
      '--agent-url',
      east,
    ]);
    assert.equal(described.code, 0, described.stderr);
    const doc = JSON.parse(described.stdout) as { record: DriftRecord; history: DriftHistory['events'] };
    assert.deepEqual(stable(doc.record), stable(own));
    assert.deepEqual(doc.history, ownHistory.events);
    // By resource id too; an unknown cluster is the agent's error naming the known ones.
    const byId = await runPlugin(['describe', '--cluster', 'west', id, '-o', 'json', '--agent-url', east]);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal((JSON.parse(byId.stdout) as { record: DriftRecord }).record.cluster, 'west');
    const unknown = await runPlugin(['describe', '--cluster', 'sotuh', id, '--agent-url', east]);
    assert.notEqual(unknown.code, 0);
    assert.match(
      unknown.stderr,
      /no records for cluster sotuh in this database; known clusters: east, north, west/,
    );
  });

  it("acting on another cluster's drift through this kubeconfig is refused, naming both clusters", async () => {
    const mode = () =>
      plane.kubectlOk(['-n', nsOf('west'), 'get', 'configmap/settings', '-o', 'jsonpath={.data.mode}']);
    assert.equal((await mode()).trim(), 'green');
    const east = agentOf('east').apiUrl;
    const common = [
      'configmap/settings',
      '-n',
      nsOf('west'),
      '--agent-url',
      east,
      '--kubeconfig',
      plane.kubeconfig,
    ];
    const refused =
      /configmap\/settings is a drift of cluster west, but this kubeconfig context \S+ reaches the agent of cluster east: (revert|diff|waive|adopt) acts only on that cluster\. Switch to a kubeconfig context of cluster west/;
    for (const args of [
      ['revert', '--cluster', 'west', '-y', ...common],
      ['diff', '--cluster', 'west', ...common],
      ['waive', '--cluster', 'west', '--for', '1h', '--reason', 'test', ...common],
    ]) {
      const r = await runPlugin(args);
      assert.notEqual(r.code, 0, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, refused, args.join(' '));
    }
    assert.equal((await mode()).trim(), 'green', 'nothing was reverted');
    assert.deepEqual((await getJson<{ waivers: unknown[] }>(`${east}/api/v1/waivers`)).waivers, []);
    // Its own cluster's drift, named with its own cluster, is acted on as without --cluster.
    const diff = await runPlugin([
      'diff',
      '--cluster',
      'east',
      'deployment/web',
      '-n',
      nsOf('east'),
      '--agent-url',
      east,
      '--kubeconfig',
      plane.kubeconfig,
    ]);
    assert.match(diff.stdout, /^- {2}replicas: 5/m, diff.stderr);
    const local = await runPlugin([
      'revert',
      '--cluster',
      'east',
      '--local',
      '--repo',
      '.',
      'deployment/web',
    ]);
    assert.notEqual(local.code, 0);
    assert.match(
      local.stderr,
      /--cluster names a cluster of the agent's database; --local works on the kubeconfig's cluster/,
    );
  });

  it(
    'ui --all-clusters: a CLUSTER column with every cluster’s active drifts; :cluster NAME, :cluster alone, an unknown one',
    { skip: !tmuxAvailable() && 'tmux is not installed' },
    async () => {
      term = startBrowser(
        ['--all-clusters', '--agent-url', agentOf('east').apiUrl, '--kubeconfig', plane.kubeconfig],
        {
          columns: 110,
          rows: 24,
        },
      );
      const rowsOf = (screen: string) =>
        screen
          .split('\n')
          .filter((l) => /^(east|north|west) +(high|medium|low) /.test(l))
          .map((l) => l.split(/\s+/).slice(0, 4).join(' '));
      const all = await term.waitFor((screen) => rowsOf(screen).length === 3, 60_000);
      assert.match(all, /^CLUSTER +SEV/m);
      assert.match(all, /cluster:all/);
      assert.deepEqual(
        rowsOf(all)
          .map((r) => r.split(' ')[0])
          .sort(),
        ['east', 'east', 'west'],
      );
      term.type(':cluster west');
      term.keys('Enter');
      const west = await term.waitFor(
        (screen) => rowsOf(screen).length === 1 && screen.includes('cluster:west'),
        30_000,
      );
      assert.deepEqual(
        rowsOf(west).map((r) => r.replace(/ (high|medium|low) /, ' SEV ')),
        [`west SEV ${nsOf('west')} ConfigMap/settings`],
      );
      // Its detail: west's record with west's history, read through east's agent.
      term.keys('Enter');
      const detail = await term.waitFor((screen) => /HISTORY\n.*none→active/.test(screen), 30_000);
      assert.match(detail, /data\.mode/);
      assert.doesNotMatch(detail, /no events/);
      // Its diff would be east's kubeconfig's: refused, naming both clusters, in full on the page.
      term.keys('d');
      const flat = (text: string): string => text.replace(/\s+/g, ' ');
      await term.waitFor(
        (screen) =>
          flat(screen).includes(
            `ConfigMap:${nsOf('west')}:settings is a drift of cluster west, but this kubeconfig reaches the agent of cluster east: diff acts only on that cluster.`,
          ),
        30_000,
      );
      term.keys('q');
      term.keys('q');
      await term.waitFor((screen) => !screen.includes('HISTORY') && rowsOf(screen).length === 1, 30_000);
      // Alone: the agent's own cluster (east), without the column.
      term.type(':cluster');
      term.keys('Enter');
      const own = await term.waitFor(
        (screen) => !/^CLUSTER/m.test(screen) && /Deployment\/web/.test(screen),
        30_000,
      );
      assert.doesNotMatch(own, new RegExp(nsOf('west')));
      term.type(':cluster sotuh');
      term.keys('Enter');
      await term.waitFor(
        /no records for cluster sotuh in this database; known clusters: east, north, west/,
        30_000,
      );
    },
  );
});
