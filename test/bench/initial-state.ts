// What reading the initial state costs the API server, both ways the agent can read it: the
// agent's own watches (agent/kube/kind-watch.ts) over the bench's four kinds, streamed (watch-list)
// or listed in 500-object pages. Each read runs on a freshly restarted kube-apiserver whose Go heap
// was collected just before (GET /debug/pprof/heap?gc=1), so both ways start from the same state;
// the order alternates run by run (paged first, then watch-list first, ...) and every run is
// reported. Per read: the RSS growth (peak after /proc/<pid>/clear_refs over the RSS before), the
// bytes the server allocated (Go's own counter), its CPU time and the wall time.
//
// Why several figures: a Go server's RSS growth during a short read says more about its heap's
// state at the start than about the read. Freed heap the runtime has not yet returned to the OS
// absorbs the read's garbage without a new page; measured at 5,000 objects, the same read grew RSS
// by 0.1 MB with 55 MB of such free heap and by 16–18 MB with none, in either mode. After the
// forced GC a restarted server keeps far more than a read needs (the garbage of filling its watch
// caches: 60–80 MB at 10,000 objects, 200–260 MB at 40,000), so neither way grows RSS measurably.
// The bytes allocated do not depend on that, and they are what the garbage collector works off.
//
// Why watch-list costs more on 1.37 (from k8s.io/apiserver v0.37.2): paged lists are served from
// the watch cache (the first page a consistent read, continue pages from its snapshot,
// ListFromCacheSnapshot; no etcd list was made), each page a slice of shallow copies
// (cacher.GetList) encoded item by item (runtime/serializer/json streamEncodeCollections). Each
// initial event of a watch-list is deep-copied (cache_watcher.go getMutableObject: the stored
// objects are not cachingObjects), then encoded twice, the object and the WatchEvent around it
// (handlers/response.go doEncode). The server holds no more for it: the watcher's channel is
// bounded, so a slow client makes it wait, not buffer. With ListFromCacheSnapshot off (continue
// pages read from etcd) paged lists allocated 2.6× more in one run at 5,000, and watch-list 0.71×
// of them.
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { writeFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KindInfo } from '../../agent/kube/kinds.ts';
import { KindWatch } from '../../agent/kube/kind-watch.ts';
import { LiveState } from '../../agent/kube/live-state.ts';
import { createLogger } from '../../agent/log.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { procCpuMs, procMemory } from './inspector.ts';
import { createObjects, generateObjects } from './objects.ts';
import { figure, median, note } from './report.ts';

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

/** After a restart: the server is ready, but still finishing start-up work (OpenAPI specs). */
const SETTLE_MS = 5000;

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

/** GET `path` from the API server as text (the metrics), or just drained (a forced GC). */
async function serverText(kc: KubeConfig, path: string): Promise<string> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const opts: RequestOptions = { method: 'GET', headers: { accept: 'text/plain' } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(server + path), opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('latin1'))
          : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Go runtime figures from the server's /metrics (bytes). */
async function goHeap(kc: KubeConfig): Promise<{ allocated: number; freeKept: number }> {
  const text = await serverText(kc, '/metrics');
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    allocated: value('go_memstats_alloc_bytes_total'),
    // Free heap not yet returned to the OS: what a read can fill without growing RSS.
    freeKept: value('go_memstats_heap_idle_bytes') - value('go_memstats_heap_released_bytes'),
  };
}

export interface InitialRead {
  mode: 'paged lists' | 'watch-list';
  /** What the watches did (watch-list falls back to paged lists where refused). */
  initial: string;
  growthMb: number;
  allocatedMb: number;
  freeKeptMb: number;
  cpuMs: number;
  ms: number;
  objects: number;
  exact: boolean;
}

/** The four kinds' initial state read once, one way, on a freshly restarted API server. */
async function readOnce(plane: ControlPlane, watchList: boolean): Promise<InitialRead> {
  await plane.restartApiServer();
  await sleep(SETTLE_MS);
  const pid = plane.apiServerPid();
  if (pid === undefined) throw new Error('kube-apiserver has no pid');
  const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
  await serverText(kc, '/debug/pprof/heap?gc=1');
  const heap0 = await goHeap(kc);
  const exact = resetPeak(pid);
  const before = procMemory(pid).rssMb;
  let sampled = before;
  const sampler = setInterval(() => (sampled = Math.max(sampled, procMemory(pid).rssMb)), 50);
  const cpu0 = procCpuMs(pid);
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
    const peak = exact ? procMemory(pid).peakMb : sampled;
    const cpuMs = procCpuMs(pid) - cpu0;
    const heap1 = await goHeap(kc);
    return {
      mode: watchList ? 'watch-list' : 'paged lists',
      initial: watches[0]?.initialMode ?? '?',
      growthMb: peak - before,
      allocatedMb: (heap1.allocated - heap0.allocated) / 1e6,
      freeKeptMb: heap0.freeKept / 1e6,
      cpuMs,
      ms,
      objects: Object.values(state.counts()).reduce((a, b) => a + b, 0),
      exact,
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(watches.map((w) => w.stop()));
  }
}

const describeRun = (r: InitialRead) =>
  `${r.growthMb.toFixed(1)} MB RSS, ${r.allocatedMb.toFixed(1)} MB allocated, ${r.cpuMs} ms CPU, ` +
  `${r.ms.toFixed(0)} ms, ${r.freeKeptMb.toFixed(0)} MB free heap kept at the start`;

/**
 * `runs` pairs of reads on `plane` (which holds n objects), the order alternating; figures per way
 * (medians, every run in the note) and the watch-list / paged lists ratios.
 */
export async function initialStateBench(plane: ControlPlane, n: number, runs = 3): Promise<void> {
  const section = `API server ${n}`;
  const reads: InitialRead[] = [];
  for (let i = 0; i < runs; i++) {
    for (const watchList of i % 2 === 0 ? [false, true] : [true, false]) {
      const r = await readOnce(plane, watchList);
      console.log(`  ${section}, run ${i + 1}, ${r.mode}: ${r.objects} objects; ${describeRun(r)}`);
      reads.push(r);
    }
  }
  const of = (mode: InitialRead['mode']) => reads.filter((r) => r.mode === mode);
  const summary = (mode: InitialRead['mode']) => {
    const rs = of(mode);
    return {
      growth: median(rs.map((r) => r.growthMb)),
      allocated: median(rs.map((r) => r.allocatedMb)),
      cpu: median(rs.map((r) => r.cpuMs)),
      ms: median(rs.map((r) => r.ms)),
      objects: rs[0]?.objects ?? 0,
    };
  };
  const paged = summary('paged lists');
  const streamed = summary('watch-list');
  for (const [mode, s] of [
    ['paged lists', paged],
    ['watch-list', streamed],
  ] as const) {
    figure({
      section,
      name: `kube-apiserver RSS growth reading the initial state, ${mode} (median of ${runs})`,
      value: s.growth,
      unit: 'MB',
      note: `each run: ${of(mode)
        .map((r) => `${r.growthMb.toFixed(1)} MB (${r.freeKeptMb.toFixed(0)} MB free heap kept)`)
        .join(', ')}; ${s.objects} objects in ${s.ms.toFixed(0)} ms`,
    });
    figure({
      section,
      name: `kube-apiserver allocated reading the initial state, ${mode} (median of ${runs})`,
      value: s.allocated,
      unit: 'MB',
      note: `${((s.allocated * 1e6) / Math.max(s.objects, 1)).toFixed(0)} B per object; CPU ${s.cpu} ms`,
    });
  }
  // Below 1 MB of growth the read fitted into free heap the server kept: the ratio would be noise.
  const ratio = paged.growth >= 1 ? streamed.growth / paged.growth : null;
  figure({
    section,
    name: 'watch-list / paged lists, RSS growth',
    value: ratio,
    unit: '×',
    goal: '≤ 0.5×',
    ...(ratio === null ? {} : { met: ratio <= 0.5 }),
    ...(ratio === null
      ? { note: 'paged lists grew RSS by under 1 MB: both reads fitted into free heap; see bytes allocated' }
      : {}),
  });
  const allocated = streamed.allocated / paged.allocated;
  figure({
    section,
    name: 'watch-list / paged lists, bytes allocated',
    value: allocated,
    unit: '×',
    goal: '≤ 0.5×',
    met: allocated <= 0.5,
  });
  if (of('watch-list').some((r) => r.initial !== 'watch-list'))
    note(`${section}: the server refused watch-list; both figures are paged lists`);
  if (reads.some((r) => !r.exact))
    note(`${section}: /proc/<pid>/clear_refs refused; growth from 50 ms RSS samples (may miss a short peak)`);
}

/**
 * `npm run bench -- initial`: for each size, a bare control plane (kube-apiserver and etcd, no
 * controllers, so nothing else writes while the reads are measured), the objects created by direct
 * parallel POSTs, then initialStateBench.
 */
export async function runInitialStateBench(opts: { sizes: number[]; runs: number }): Promise<void> {
  for (const n of opts.sizes) {
    console.log(`\n# initial state at ${n} objects on a bare control plane`);
    const plane = await startControlPlane();
    try {
      const seconds = await createObjects(plane, generateObjects(n));
      figure({
        section: `API server ${n}`,
        name: 'objects created by parallel POSTs (32 in flight)',
        value: n / seconds,
        unit: 'objects/s',
        note: `${seconds.toFixed(0)} s`,
      });
      await initialStateBench(plane, n, opts.runs);
    } finally {
      await plane.stop();
    }
  }
}
