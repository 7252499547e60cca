// The chart archive unpacker: what GNU tar writes (long names included) comes out as it went in;
// an entry that climbs out, a link, or an archive that unpacks too large is refused, and nothing
// is written outside the target directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { unpackChart } from './untar.ts';

const work = mkdtempSync(join(tmpdir(), 'driftguard-untar-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** One ustar header + body (the unpacker reads name, size and type; the checksum is not checked). */
function entry(name: string, body: string, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\0', 257);
  const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  data.write(body);
  return Buffer.concat([h, data]);
}

const archive = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));

describe('unpackChart', () => {
  it('unpacks what tar writes, long names included', () => {
    const src = join(work, 'src');
    const long = `templates/${'n'.repeat(120)}.yaml`;
    mkdirSync(join(src, 'web', 'templates'), { recursive: true });
    writeFileSync(join(src, 'web', 'Chart.yaml'), 'name: web\n');
    writeFileSync(join(src, 'web', long), 'kind: ConfigMap\n');
    execFileSync('tar', ['-czf', join(work, 'web.tgz'), '-C', src, 'web']);
    const out = join(work, 'out');
    assert.deepEqual(unpackChart(readFileSync(join(work, 'web.tgz')), out, 1 << 20, 'web'), ['web']);
    assert.equal(readFileSync(join(out, 'web', 'Chart.yaml'), 'utf8'), 'name: web\n');
    assert.equal(readFileSync(join(out, 'web', long), 'utf8'), 'kind: ConfigMap\n');
  });

  it('refuses an entry outside the directory, a link, and an archive that unpacks too large', () => {
    const out = join(work, 'bad');
    assert.throws(
      () => unpackChart(archive(entry('web/../../escape.yaml', 'x')), out, 1 << 20, 'web'),
      /outside the chart/,
    );
    assert.equal(existsSync(join(work, 'escape.yaml')), false);
    assert.throws(() => unpackChart(archive(entry('/etc/x', 'x')), out, 1 << 20, 'web'), /outside the chart/);
    assert.throws(
      () => unpackChart(archive(entry('web/link', '', '2')), out, 1 << 20, 'web'),
      /link or device/,
    );
    assert.throws(
      () => unpackChart(archive(entry('web/big', 'y'.repeat(4096))), out, 2048, 'web'),
      /unpacks to more than 2048 bytes/,
    );
    assert.throws(() => unpackChart(Buffer.from('not gzip'), out, 1 << 20, 'web'), /not a gzip'd archive/);
  });
});
