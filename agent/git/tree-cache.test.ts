// The tree cache answers only for the commit and source path it was written for.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TreeCache } from './tree-cache.ts';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

describe('tree cache', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'dg-tree-')), 'driftguard', 'tree.json');
  const blobs = new Map([
    ['manifests/a.yaml', '1'.repeat(40)],
    ['manifests/b/c.yaml', '2'.repeat(40)],
  ]);

  it('gives back the list, in order, for the same commit and path only', () => {
    const cache = new TreeCache(file());
    assert.equal(cache.read(C1, 'manifests'), null, 'no file yet');
    cache.write(C1, 'manifests', blobs);
    assert.deepEqual([...(cache.read(C1, 'manifests') ?? [])], [...blobs]);
    assert.equal(cache.read(C2, 'manifests'), null, 'another commit');
    assert.equal(cache.read(C1, ''), null, 'another path');
    cache.write(C2, 'manifests', new Map());
    assert.equal(cache.read(C1, 'manifests'), null, 'replaced');
    assert.deepEqual(cache.read(C2, 'manifests'), new Map());
  });

  it('a file that is not one it wrote: a miss', () => {
    const path = file();
    const cache = new TreeCache(path);
    cache.write(C1, 'manifests', blobs);
    for (const text of [
      '',
      '{',
      '[]',
      JSON.stringify({ format: 1, commit: C1, path: 'manifests', blobs: [] }),
    ]) {
      writeFileSync(path, text);
      assert.equal(cache.read(C1, 'manifests'), null, text);
    }
  });
});
