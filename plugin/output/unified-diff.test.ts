// The unified diff is checked against GNU patch, the reader it must satisfy: applying our hunks to
// the first text gives the second, for many generated pairs; and one small case against GNU diff.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { palette } from './color.ts';
import { diffFileName, renderObjectDiff, unifiedHunks } from './unified-diff.ts';

const dir = mkdtempSync(join(tmpdir(), 'driftguard-udiff-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function patchApplies(a: string[], b: string[]): string {
  const hunks = unifiedHunks(a, b);
  const text = (l: string[]) => (l.length ? `${l.join('\n')}\n` : '');
  if (hunks.length === 0) return text(a);
  writeFileSync(join(dir, 'a'), text(a));
  writeFileSync(join(dir, 'p'), `--- a\n+++ b\n${hunks.map((h) => `${h}\n`).join('')}`);
  execFileSync('patch', ['-s', '-o', join(dir, 'out'), join(dir, 'a'), join(dir, 'p')], { stdio: 'pipe' });
  return readFileSync(join(dir, 'out'), 'utf8');
}

/** A small deterministic PRNG, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('unified diff', () => {
  it('is empty for equal texts', () => {
    assert.deepEqual(unifiedHunks(['a', 'b'], ['a', 'b']), []);
  });

  it('matches GNU diff -u on a one-line change', () => {
    const a = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[6] = 'changed';
    writeFileSync(join(dir, 'x'), `${a.join('\n')}\n`);
    writeFileSync(join(dir, 'y'), `${b.join('\n')}\n`);
    let gnu = '';
    try {
      execFileSync('diff', ['-u', join(dir, 'x'), join(dir, 'y')], { encoding: 'utf8' });
    } catch (err) {
      gnu = String((err as { stdout: string }).stdout);
    }
    const gnuHunks = gnu.split('\n').slice(2).join('\n').trimEnd();
    assert.equal(unifiedHunks(a, b).join('\n'), gnuHunks);
  });

  it('is read back by GNU patch for 300 generated pairs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const a = Array.from({ length: Math.floor(r() * 40) }, () => `l${Math.floor(r() * 8)}`);
      const b = a.filter(() => r() > 0.15).flatMap((l) => (r() < 0.1 ? [l, `n${Math.floor(r() * 8)}`] : [l]));
      if (r() < 0.2) b.unshift('head');
      const expected = b.length ? `${b.join('\n')}\n` : '';
      assert.equal(patchApplies(a, b), expected, `seed ${seed}`);
    }
  });

  it('renders an object diff in kubectl diff form, - live + desired, coloured only when asked', () => {
    const o = {
      api_version: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      desired_view: { spec: { replicas: 3, paused: false } },
      live_view: { spec: { replicas: 5, paused: false } },
    };
    assert.equal(diffFileName(o), 'apps.v1.Deployment.shop.web');
    assert.equal(diffFileName({ ...o, api_version: 'v1', kind: 'ConfigMap' }), 'v1.ConfigMap.shop.web');
    const plain = renderObjectDiff(o, palette(false));
    assert.equal(
      plain,
      [
        'diff -u -N LIVE/apps.v1.Deployment.shop.web MERGED/apps.v1.Deployment.shop.web',
        '--- LIVE/apps.v1.Deployment.shop.web',
        '+++ MERGED/apps.v1.Deployment.shop.web',
        '@@ -1,3 +1,3 @@',
        ' spec:',
        '   paused: false',
        '-  replicas: 5',
        '+  replicas: 3',
        '',
      ].join('\n'),
    );
    assert.ok(!plain.includes('\u001b['));
    const coloured = renderObjectDiff(o, palette(true));
    assert.ok(coloured.includes('\u001b[31m-  replicas: 5\u001b[39m'));
    assert.ok(coloured.includes('\u001b[32m+  replicas: 3\u001b[39m'));
    assert.equal(renderObjectDiff({ ...o, live_view: o.desired_view }, palette(false)), '');
  });

  it('shows a missing object as all additions', () => {
    const text = renderObjectDiff(
      {
        api_version: 'v1',
        kind: 'ConfigMap',
        namespace: 'shop',
        name: 'c',
        desired_view: { data: { a: '1' } },
        live_view: null,
      },
      palette(false),
    );
    assert.match(text, /@@ -0,0 \+1,2 @@\n\+data:\n\+ {2}a: "1"\n/);
  });
});
