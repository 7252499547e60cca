import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../log.ts';
import { cgroupPathOf, memoryLimitBytes, parseLimit } from './cgroup.ts';
import { memoryComponent, MemoryWatch, pressureWarning } from './pressure.ts';

const MiB = 2 ** 20;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A cgroupfs laid out as the kernel lays it out, in a temp dir. */
function fakeCgroup(files: Record<string, string>, self: string): { root: string; self: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cgroup-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'fs', path)), { recursive: true });
    writeFileSync(join(dir, 'fs', path), `${text}\n`);
  }
  writeFileSync(join(dir, 'self'), self);
  return { root: join(dir, 'fs'), self: join(dir, 'self') };
}

describe('cgroup memory limit', () => {
  it('parses limits: bytes, v2 max, v1 unlimited, garbage', () => {
    assert.equal(parseLimit('536870912'), 512 * MiB);
    assert.equal(parseLimit('max'), null);
    assert.equal(parseLimit('9223372036854771712'), null);
    assert.equal(parseLimit('12k'), null);
    assert.equal(parseLimit(null), null);
  });

  it('finds the controller path in /proc/self/cgroup', () => {
    const self = '12:memory:/kubepods/pod1/c1\n3:cpu,cpuacct:/x\n0::/kubepods.slice/c2\n';
    assert.equal(cgroupPathOf(self, 'memory'), '/kubepods/pod1/c1');
    assert.equal(cgroupPathOf(self, ''), '/kubepods.slice/c2');
    assert.equal(cgroupPathOf(self, 'pids'), null);
  });

  it('reads v2 at the namespaced root (a container with its own cgroup namespace)', () => {
    const paths = fakeCgroup({ 'memory.max': '536870912' }, '0::/\n');
    assert.equal(memoryLimitBytes(paths), 512 * MiB);
  });

  it('reads v2 at the process path before the root', () => {
    const paths = fakeCgroup({ 'memory.max': 'max', 'pod/c/memory.max': '268435456' }, '0::/pod/c\n');
    assert.equal(memoryLimitBytes(paths), 256 * MiB);
  });

  it('reads v1 memory.limit_in_bytes; none when unlimited or absent', () => {
    const v1 = fakeCgroup({ 'memory/a/memory.limit_in_bytes': '1073741824' }, '4:memory:/a\n0::/\n');
    assert.equal(memoryLimitBytes(v1), 1024 * MiB);
    const none = fakeCgroup({ 'memory/memory.limit_in_bytes': '9223372036854771712' }, '4:memory:/\n');
    assert.equal(memoryLimitBytes(none), null);
    assert.equal(memoryLimitBytes(fakeCgroup({}, '')), null);
  });
});

describe('memory pressure', () => {
  it('warns past 85% RSS or 70% heap of the limit, never without a limit', () => {
    const limit = 512 * MiB;
    assert.equal(pressureWarning(limit, { rss: 400 * MiB, heapUsed: 300 * MiB }), null);
    assert.match(
      pressureWarning(limit, { rss: 450 * MiB, heapUsed: 300 * MiB }) ?? '',
      /^RSS 450 MB of the container's 512 MB/,
    );
    assert.match(pressureWarning(limit, { rss: 400 * MiB, heapUsed: 380 * MiB }) ?? '', /^heap 380 MB/);
    assert.equal(pressureWarning(null, { rss: 10 * limit, heapUsed: limit }), null);
  });

  it('logs memory_pressure once per crossing and memory_recovered when it falls back', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => lines.push(t) });
    let rss = 100 * MiB;
    const watch = new MemoryWatch({ limit: 512 * MiB, log, sample: () => ({ rss, heapUsed: 50 * MiB }) });
    assert.equal(watch.check().warning, null);
    rss = 480 * MiB;
    assert.ok(watch.check().warning);
    assert.ok(watch.check().warning);
    rss = 200 * MiB;
    assert.equal(watch.check().warning, null);
    const events = lines.map((l) => (JSON.parse(l) as { event: string }).event);
    assert.deepEqual(events, ['memory_pressure', 'memory_recovered']);
  });
});

describe('the memory component of /ready', () => {
  it('is ready, says the usage and the limit, and carries the warning', () => {
    const near = memoryComponent({
      limit: 512 * MiB,
      sample: { rss: 480 * MiB, heapUsed: 200 * MiB },
      warning: 'w',
    });
    assert.deepEqual(near, {
      name: 'memory',
      ready: true,
      message: 'RSS 480 MB, heap 200 MB of a 512 MB limit',
      warning: 'w',
    });
    const none = memoryComponent({ limit: null, sample: { rss: MiB, heapUsed: MiB }, warning: null });
    assert.equal(none.message, 'RSS 1 MB, heap 1 MB; no container memory limit');
    assert.equal(none.warning, null);
  });
});
