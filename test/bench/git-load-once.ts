// Child process of the Git-load benchmark: one GitSource.sync of the repository at argv[2] (path
// `manifests`) in a fresh process, as the agent does at start: cold in a new work dir, or a restart
// on the work dir GIT_LOAD_WORK_DIR names (the clone and parse cache a run before left there). Prints one JSON line: wall
// time, the phases the source logs (if it logs them), objects, peak RSS and the heap after a GC.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../agent/config/load.ts';
import { GitSource } from '../../agent/git/git-source.ts';
import { legacySource } from '../../agent/git/source-spec.ts';
import { createLogger } from '../../agent/log.ts';

const url = process.argv[2] ?? '';
/** Where to write a CPU profile of the sync alone (not the process's start), if given. */
const profileOut = process.argv[3];
const config = parseConfig(`git: { url: "${url}", path: manifests }\n`, {});
const lines: string[] = [];
const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => lines.push(t) });
/** A work dir kept across runs (a restart: the clone and parse cache an earlier run left), else a new one. */
const kept = process.env['GIT_LOAD_WORK_DIR'];
const work = kept ?? mkdtempSync(join(tmpdir(), 'dg-bench-clone-'));
const src = new GitSource(legacySource(config.git, 'default'), work, log);
const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const before = peakKb();
const session = profileOut ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
/** CPU of this process and of its waited-for children (git), from /proc: contention shows in wall time only. */
const cpuMs = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const tick = (i: number) => Number(f[i] ?? 0) * 10; // fields 14-17 (utime stime cutime cstime), 100 Hz
  return { self: tick(11) + tick(12), children: tick(13) + tick(14) };
};
const cpu0 = cpuMs();
const started = performance.now();
await src.sync();
const wallMs = performance.now() - started;
const cpu1 = cpuMs();
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileOut ?? '', JSON.stringify(profile));
  session.disconnect();
}
const peakMb = peakKb() / 1024;
(globalThis as { gc?: () => void }).gc?.();
const synced = lines
  .map((l) => JSON.parse(l) as Record<string, unknown>)
  .find((l) => l['event'] === 'git_synced');
console.log(
  JSON.stringify({
    wallMs: Math.round(wallMs),
    cpuMs: cpu1.self - cpu0.self,
    gitCpuMs: cpu1.children - cpu0.children,
    phases: synced?.['phases_ms'] ?? null,
    cachedFiles: synced?.['cached'] ?? null,
    objects: src.desired.size,
    errors: lines.filter((l) => l.includes('"level":50')).map((l) => l.slice(0, 300)),
    startPeakMb: Math.round(before / 1024),
    peakMb: Math.round(peakMb),
    heapAfterGcMb: Math.round(process.memoryUsage().heapUsed / 1048576),
    rssAfterGcMb: Math.round(process.memoryUsage().rss / 1048576),
  }),
);
if (kept) src.flushParseCache();
else rmSync(work, { recursive: true, force: true });
