// The agent's start order against a real API server and a real Git checkout: the watches list
// while Git is still loading (held back here by a reference-transaction hook that sleeps), every object
// listed before Git knew what it tracks is kept whole and analysed without being read again, what
// Git does not name is slimmed once Git has loaded, and a version Git names that the watches did
// not know of at their start (an HPA kept in autoscaling/v1, the server preferring v2) is watched
// and synced before the first analysis compares against it.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedCluster, type SharedCluster } from '../test/kit/shared-cluster.ts';
import { makeRepo, type TestRepo } from '../test/kit/repos.ts';
import { Agent } from './agent.ts';
import { parseConfig } from './config/load.ts';

/** The file's namespace on the shared plane (set in before()). */
let NS = '';
const namespace = (): string => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }\n`;
const deployment = (): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;
const settings = (): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: ${NS} }\ndata: { mode: fast }\n`;
// Compared in v1: read in v2 (the preferred version) it has no targetCPUUtilizationPercentage.
const hpa = (): string => `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: ${NS} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  maxReplicas: 3
  targetCPUUtilizationPercentage: 50
`;
/** In the cluster only: not tracked, so held light once Git has loaded. */
const hand = (): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: hand, namespace: ${NS} }\ndata: { made: by-hand }\n`;

const HOOK_SLEEP_S = 3;

interface Line {
  event?: string;
  time?: number;
  kind?: string;
  objects?: number;
}

describe('agent start: the lists overlap the Git load', () => {
  let plane: SharedCluster;
  let repo: TestRepo;
  let agent: Agent | undefined;
  let dir: string;
  const lines: Line[] = [];
  let fetched = 0;
  const previousHome = process.env['HOME'];
  const heldMark = () => join(dir, 'git-held');

  before(async () => {
    plane = await sharedCluster(import.meta.url);
    NS = plane.namespace;
    await plane.kubectlOk(['apply', '-f', '-'], { input: namespace() });
    await plane.kubectlOk(['apply', '-f', '-'], {
      input: [deployment(), settings(), hpa(), hand()].join('---\n'),
    });
    repo = makeRepo({
      'manifests/namespace.yaml': namespace(),
      'manifests/app.yaml': [deployment(), settings(), hpa()].join('---\n'),
    });
    dir = mkdtempSync(join(tmpdir(), 'driftguard-start-'));
    // Every ref the agent's git writes waits (the clone has no work tree, so no checkout hook
    // runs): the lists surely finish while Git loads. The agent runs git with its own environment
    // (PATH and HOME, nothing else of ours: GIT_CONFIG_GLOBAL would not reach it), so the hook is
    // named in the global config git reads from $HOME, and leaves a mark proving it held git back.
    const hooks = join(dir, 'hooks');
    writeFileSync(join(dir, '.gitconfig'), `[core]\n\thooksPath = ${hooks}\n`);
    mkdirSync(hooks);
    writeFileSync(
      join(hooks, 'reference-transaction'),
      `#!/bin/sh\n[ "$1" = committed ] || exit 0\ntouch '${heldMark()}'\nsleep ${HOOK_SLEEP_S}\n`,
    );
    chmodSync(join(hooks, 'reference-transaction'), 0o755);
    process.env['HOME'] = dir;
    const config = parseConfig(
      [
        `server: { port: 0, health_port: 0, address: 127.0.0.1, health_address: 127.0.0.1 }`,
        `database: { path: ${join(dir, 'data', 'driftguard.db')} }`,
        `logging: { level: info, format: json }`,
        `git: { url: ${repo.dir}, branch: ${repo.branch}, path: manifests }`,
        `drift: { periodic: false, interval: 1h }`,
        // Only this file's namespace: the plane may be shared with other files.
        `kubernetes: { kubeconfig: ${plane.kubeconfig}, namespaces: [${NS}], resource_types: [Deployment, ConfigMap, HorizontalPodAutoscaler] }`,
      ].join('\n'),
      {},
    );
    agent = new Agent(config, {
      logSink: { write: (t: string) => void lines.push(JSON.parse(t) as Line) },
    });
    // Counts the objects the analysis had to read again one by one (held light when it needed them whole).
    const watch = agent.watch;
    const ensure = watch.ensure.bind(watch);
    watch.ensure = async (ids) => {
      const n = await ensure(ids);
      fetched += n;
      return n;
    };
    await agent.start();
    const deadline = Date.now() + 60_000;
    while (!lines.some((l) => l.event === 'analysis_completed')) {
      if (Date.now() > deadline) throw new Error(`no analysis: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => {
    await agent?.stop();
    if (previousHome === undefined) delete process.env['HOME'];
    else process.env['HOME'] = previousHome;
    await plane?.stop();
    repo?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every kind while Git loads; the first analysis follows both', () => {
    const at = (pred: (l: Line) => boolean) => lines.filter(pred).map((l) => l.time ?? NaN);
    assert.ok(existsSync(heldMark()), "the hook held the agent's git back");
    const [gitAt] = at((l) => l.event === 'git_synced');
    assert.ok(gitAt !== undefined, 'git_synced logged');
    const synced = lines.filter((l) => l.event === 'watch_synced');
    for (const kind of ['Deployment', 'ConfigMap', 'HorizontalPodAutoscaler'])
      assert.ok(
        synced.some((l) => l.kind === kind && (l.time ?? Infinity) < gitAt),
        `${kind} listed before Git loaded: ${JSON.stringify(synced)}, Git at ${gitAt}`,
      );
    // The v1 view of the HPA: its watch starts once Git has said it uses v1.
    assert.ok(
      synced.some((l) => l.kind === 'HorizontalPodAutoscaler' && (l.time ?? 0) >= gitAt),
      `a second HPA watch after Git: ${JSON.stringify(synced)}`,
    );
    const [analysedAt] = at((l) => l.event === 'analysis_completed');
    assert.ok(analysedAt !== undefined && analysedAt >= Math.max(...synced.map((l) => l.time ?? 0)));
  });

  it('analyses what was listed before Git loaded, in sync, without reading it again', async () => {
    const ids = [`Deployment:${NS}:web`, `ConfigMap:${NS}:settings`, `HorizontalPodAutoscaler:${NS}:web`];
    const records = await agent!.store.getRecords(ids);
    for (const id of ids)
      assert.equal(records.get(id)?.drift_status, 'none', `${id}: ${JSON.stringify(records.get(id))}`);
    assert.equal(fetched, 0);
    assert.ok(agent!.watch.state.get(`Deployment:${NS}:web`)?.metadata['managedFields']);
    assert.equal(
      agent!.watch.get(`HorizontalPodAutoscaler:${NS}:web`, 'autoscaling/v1')?.apiVersion,
      'autoscaling/v1',
    );
  });

  it('slims what Git does not name once Git has loaded', () => {
    const entry = agent!.watch.state.entry(`ConfigMap:${NS}:hand`);
    assert.ok(entry, 'the hand-made ConfigMap is indexed');
    assert.equal(entry.object, undefined);
  });
});
