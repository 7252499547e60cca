// What reading the initial state costs the API server, both ways the agent can read it: the
// agent's own watches (agent/kube/kind-watch.ts) over the bench's four kinds, once streamed
// (watch-list) and once listed in 500-object pages, each on a freshly restarted kube-apiserver
// (its peak RSS reset through /proc/<pid>/clear_refs, so the figure is this read's peak over
// the idle server's RSS, not the peak of applying the objects).
import { writeFileSync } from 'node:fs';
import type { KindInfo } from '../../agent/kube/kinds.ts';
import { KindWatch } from '../../agent/kube/kind-watch.ts';
import { LiveState } from '../../agent/kube/live-state.ts';
import { createLogger } from '../../agent/log.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { procMemory } from './inspector.ts';
import { figure, note } from './report.ts';

const KINDS: KindInfo[] = [
  ['Deployment', 'apps', 'deployments'],
  ['Service', '', 'services'],
  ['ConfigMap', '', 'configmaps'],
  ['Secret', '', 'secrets'],
].map(([kind = '', group = '', plural = '']) => ({
  kind,
  group,
  version: 'v1',
  plural,
  namespaced: true,
  key: kind,
  alsoVersions: [],
  served: ['v1'],
}));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resets a process's peak RSS (VmHWM) to its current RSS; false where the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** RSS growth (MB) of kube-apiserver while the four kinds' initial state is read one way. */
async function readOnce(
  cluster: Cluster,
  watchList: boolean,
): Promise<{ growthMb: number; ms: number; objects: number; mode: string; exact: boolean }> {
  await cluster.restartApiServer();
  // Let the restarted server fill its watch caches from etcd before the baseline.
  await sleep(5000);
  const pid = cluster.apiServerPid();
  if (pid === undefined) throw new Error('kube-apiserver has no pid');
  const before = procMemory(pid).rssMb;
  const peakReset = resetPeak(pid);
  let sampled = before;
  const sampler = setInterval(() => (sampled = Math.max(sampled, procMemory(pid).rssMb)), 50);
  const kc = loadKubeConfig({ kubeconfig: cluster.kubeconfig });
  const state = new LiveState();
  const log = createLogger({ level: 'warn', format: 'json' }, { write: () => undefined });
  const watches = KINDS.map(
    (info) =>
      new KindWatch({
        kc,
        info,
        excludeNamespaces: [],
        state,
        log,
        watchdogMs: 120_000,
        onSynced: () => undefined,
        watchList,
      }),
  );
  const started = performance.now();
  try {
    await Promise.all(watches.map((w) => w.start()));
    const ms = performance.now() - started;
    clearInterval(sampler);
    const peak = peakReset ? procMemory(pid).peakMb : sampled;
    const objects = Object.values(state.counts()).reduce((a, b) => a + b, 0);
    return { growthMb: peak - before, ms, objects, mode: watches[0]?.initialMode ?? '?', exact: peakReset };
  } finally {
    clearInterval(sampler);
    await Promise.all(watches.map((w) => w.stop()));
  }
}

export async function initialStateBench(cluster: Cluster, n: number): Promise<void> {
  const section = `API server ${n}`;
  const paged = await readOnce(cluster, false);
  const streamed = await readOnce(cluster, true);
  for (const [name, r] of [
    ['paged lists', paged],
    ['watch-list', streamed],
  ] as const)
    figure({
      section,
      name: `kube-apiserver RSS growth reading the initial state, ${name}`,
      value: r.growthMb,
      unit: 'MB',
      note: `${r.objects} objects in ${r.ms.toFixed(0)} ms (${r.mode})`,
    });
  const ratio = streamed.growthMb / Math.max(paged.growthMb, 1);
  figure({
    section,
    name: 'watch-list / paged lists, RSS growth',
    value: ratio,
    unit: '×',
    goal: '≤ 0.5×',
    met: ratio <= 0.5,
  });
  if (streamed.mode !== 'watch-list')
    note(`${section}: the server refused watch-list; both figures are paged lists`);
  if (!paged.exact || !streamed.exact)
    note(`${section}: /proc/<pid>/clear_refs refused; growth from 50 ms RSS samples (may miss a short peak)`);
}
