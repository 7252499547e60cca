// `npm run corpus`: its command line, the SOURCES.md table it reads, and that manifest.json lists
// exactly the files (and pins) of ../shared when it is present. The download itself needs the
// network, which this test does not assume.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CORPUS, RENDER_CORPUS, SHARED_DIR, sharedSkip } from '../kit/shared-data.ts';
import { fetchCorpora, MANIFEST, manifestOf, parseArgs, parseSources, type Manifest } from './fetch.ts';

const defaults = { dest: '/d', from: '/s' };

describe('npm run corpus', () => {
  it('reads its flags, with defaults', () => {
    assert.deepEqual(parseArgs([], defaults), {
      command: 'fetch',
      dest: '/d',
      only: null,
      dryRun: false,
      from: '/s',
    });
    const o = parseArgs(['--dest', '/x', '--only', 'stefanprodan/podinfo', '--dry-run'], defaults);
    assert.deepEqual([o.dest, o.only, o.dryRun], ['/x', 'stefanprodan/podinfo', true]);
    assert.equal(parseArgs(['--write-manifest', '--from', '/f'], defaults).command, 'write-manifest');
    assert.equal(parseArgs(['--help'], defaults).command, 'help');
  });

  it('refuses what it does not know, saying what is wrong', () => {
    assert.throws(() => parseArgs(['--bogus'], defaults), /unknown argument "--bogus"/);
    assert.throws(() => parseArgs(['--dest'], defaults), /--dest needs a value/);
    assert.throws(() => parseArgs(['--dest', '--dry-run'], defaults), /--dest needs a value/);
    assert.throws(() => parseArgs(['--only', 'podinfo'], defaults), /--only takes OWNER\/REPO/);
  });

  it('reads the pins of a SOURCES.md table, skipping its header and prose', () => {
    const md =
      '# Sources\n\nprose | with | bars\n\n| source | commit | license | files |\n|---|---|---|---|\n| a/b | 0123abcd | MIT | 3 |\n| c/d | not-a-sha | MIT | 1 |\n';
    assert.deepEqual(parseSources(md), [{ repo: 'a/b', commit: '0123abcd', license: 'MIT' }]);
  });

  it('plans a dry run without downloading, and refuses an unknown --only', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    const lines: string[] = [];
    fetchCorpora(manifest, parseArgs(['--dry-run'], defaults), (l) => lines.push(l));
    assert.equal(lines.length, manifest.sources.length);
    assert.match(lines.join('\n'), /stefanprodan\/podinfo@eec06d1ea459 \(Apache-2.0\): \d+ files → \/d/);
    assert.throws(
      () => fetchCorpora(manifest, parseArgs(['--only', 'x/y'], defaults), () => undefined),
      /not a source/,
    );
  });

  it('lists exactly the files and pins of ../shared', { skip: sharedSkip(CORPUS, RENDER_CORPUS) }, () => {
    const committed = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    assert.deepEqual(manifestOf(SHARED_DIR), committed, 'run `npm run corpus -- --write-manifest`');
  });
});
