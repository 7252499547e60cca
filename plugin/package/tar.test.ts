import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tarGz, type TarEntry } from './tar.ts';

const entries: TarEntry[] = [
  { name: 'b.txt', data: Buffer.from('second\n'), mode: 0o644 },
  { name: 'a.sh', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { name: 'big', data: Buffer.alloc(1500, 7), mode: 0o644 },
];

test('system tar reads back every entry, in sorted order, with its mode, content and mtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-tar-'));
  try {
    const archive = join(dir, 'x.tar.gz');
    writeFileSync(archive, tarGz(entries, 315532800));
    assert.deepEqual(execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n'), [
      'a.sh',
      'b.txt',
      'big',
    ]);
    execFileSync('tar', ['-xzf', archive, '-C', dir]);
    for (const e of entries) assert.deepEqual(readFileSync(join(dir, e.name)), e.data);
    assert.equal(statSync(join(dir, 'a.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(dir, 'b.txt')).mtimeMs, 315532800_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same entries give the same bytes whatever their order', () => {
  assert.deepEqual(tarGz(entries, 1), tarGz([...entries].reverse(), 1));
  assert.notDeepEqual(tarGz(entries, 1), tarGz(entries, 2));
});

test('names longer than ustar allows are an error, not a corrupt archive', () => {
  assert.throws(() => tarGz([{ name: 'x'.repeat(101), data: Buffer.alloc(0), mode: 0o644 }], 0), /too long/);
});
