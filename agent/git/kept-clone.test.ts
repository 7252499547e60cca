// A restart on the clone and parse cache an earlier start left in the work dir, against real git:
// whatever changed in between (a commit, a force-push, another URL, a damaged cache or clone, local
// edits, other kind scopes), the desired state equals what a fresh clone in an empty dir gives.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { git, makeRepo, type TestRepo } from '../../test/kit/repos.ts';
import type { KindScopes } from '../../shared/engine/index.ts';
import { parseConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { GitSource } from './git-source.ts';
import { legacySource } from './source-spec.ts';

const cm = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: app }\ndata: { v: "${value}" }\n`;
const widget = (name: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: ${name} }\n`;

interface Started {
  src: GitSource;
  lines: Record<string, unknown>[];
}

/** One agent start's source on `dir` (the work dir a restart finds again). */
async function start(url: string, dir: string, scopes?: KindScopes, branch = 'main'): Promise<Started> {
  const lines: Record<string, unknown>[] = [];
  const config = parseConfig(`git: { url: "${url}", branch: ${branch}, path: manifests }\n`, {});
  const log = createLogger(
    { level: 'info', format: 'json' },
    { write: (t) => lines.push(JSON.parse(t) as Record<string, unknown>) },
  );
  const src = new GitSource(legacySource(config.git, 'default'), dir, log, null, () => scopes);
  await src.sync();
  // The cache is written shortly after a load; a test restarts at once.
  src.flushParseCache();
  return { src, lines };
}

/** Every desired entry, in full: what the analysis reads. */
function state(src: GitSource): unknown {
  return [...src.desired.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** What a fresh clone into an empty dir gives for the same remote now. */
async function fresh(url: string, scopes?: KindScopes): Promise<unknown> {
  return state((await start(url, mkdtempSync(join(tmpdir(), 'dg-fresh-')), scopes)).src);
}

const synced = (s: Started) => s.lines.find((l) => l['event'] === 'git_synced');
const marker = (dir: string) => join(dir, '.git', 'kept-marker');

describe('restart on a kept clone and parse cache', () => {
  const repos: TestRepo[] = [];
  const newRepo = (files: Record<string, string> = {}) => {
    const r = makeRepo({
      'manifests/a.yaml': cm('a', '1'),
      'manifests/b.yaml': cm('b', '1'),
      'manifests/w.yaml': widget('w'),
      ...files,
    });
    repos.push(r);
    return r;
  };
  const work = () => mkdtempSync(join(tmpdir(), 'dg-kept-'));
  after(() => repos.forEach((r) => r.remove()));

  it('same commit: keeps the clone, parses nothing, same state', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    const first = await start(url, dir);
    writeFileSync(marker(dir), 'kept');
    const again = await start(url, dir);
    assert.ok(existsSync(marker(dir)), 'the clone was kept, not cloned again');
    assert.deepEqual(state(again.src), state(first.src));
    assert.deepEqual(state(again.src), await fresh(url));
    assert.equal(synced(again)?.['cached'], 3, 'every file from the cache');
    assert.equal(synced(again)?.['files'], 3);
    assert.equal(synced(first)?.['tree_cached'], false, 'a fresh clone lists its tree');
    assert.equal(synced(again)?.['tree_cached'], true, 'the same commit: the list kept, no ls-tree');
  });

  it('a new commit while stopped: changed files parsed, the rest cached, deletions gone', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    await start(url, dir);
    const head = repo.commit({
      'manifests/a.yaml': null,
      'manifests/b.yaml': cm('b', '2'),
      'manifests/c.yaml': cm('c', '1'),
    });
    const again = await start(url, dir);
    assert.equal(again.src.commit, head);
    assert.deepEqual(state(again.src), await fresh(url));
    assert.equal(again.src.desired.get('ConfigMap:app:a'), undefined);
    assert.equal(
      (again.src.desired.get('ConfigMap:app:b')?.desired.object as { data?: { v?: string } }).data?.v,
      '2',
    );
    assert.equal(synced(again)?.['cached'], 1, 'only w.yaml was unchanged');
    assert.equal(synced(again)?.['tree_cached'], false, 'another commit: its tree listed');
  });

  it('a force-pushed branch: the new tip, not the kept history', async () => {
    const repo = newRepo();
    const bare = repo.bare();
    const dir = work();
    repo.commit({ 'manifests/c.yaml': cm('c', '1') });
    await start(bare.url, dir);
    git(repo.dir, ['reset', '-q', '--hard', 'HEAD~1']);
    writeFileSync(join(repo.dir, 'manifests', 'd.yaml'), cm('d', '1'));
    git(repo.dir, ['add', '-A']);
    git(repo.dir, ['commit', '-q', '-m', 'rewritten']);
    git(repo.dir, ['push', '-q', '-f', bare.dir, 'main:main']);
    const again = await start(bare.url, dir);
    assert.equal(again.src.commit, repo.head());
    assert.equal(again.src.desired.get('ConfigMap:app:c'), undefined, 'the dropped commit is gone');
    assert.ok(again.src.desired.get('ConfigMap:app:d'));
    assert.deepEqual(state(again.src), await fresh(bare.url));
  });

  it('another branch of the same URL: that branch, not the kept one', async () => {
    const repo = newRepo();
    const bare = repo.bare();
    const dir = work();
    await start(bare.url, dir);
    git(repo.dir, ['checkout', '-q', '-b', 'dev']);
    writeFileSync(join(repo.dir, 'manifests', 'b.yaml'), cm('b', 'dev'));
    git(repo.dir, ['commit', '-q', '-am', 'dev']);
    git(repo.dir, ['push', '-q', bare.dir, 'dev:dev']);
    const dev = await start(bare.url, dir, undefined, 'dev');
    assert.equal(dev.src.commit, git(repo.dir, ['rev-parse', 'dev']));
    assert.deepEqual(
      state(dev.src),
      state((await start(bare.url, mkdtempSync(join(tmpdir(), 'dg-fresh-')), undefined, 'dev')).src),
    );
    assert.equal(synced(dev)?.['cached'], 2, 'a.yaml and w.yaml are the same blobs on both branches');
  });

  it('another URL: a fresh clone of that one', async () => {
    const one = newRepo();
    const other = newRepo({ 'manifests/a.yaml': cm('a', 'other'), 'manifests/z.yaml': cm('z', '1') });
    const dir = work();
    await start(one.bare().url, dir);
    writeFileSync(marker(dir), 'kept');
    const again = await start(other.bare().url, dir);
    assert.equal(existsSync(marker(dir)), false, 'cloned afresh');
    assert.equal(again.src.commit, other.head());
    assert.deepEqual(state(again.src), await fresh(other.bare().url));
  });

  it('a damaged parse cache: ignored with a warning, everything parsed, then rewritten', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    await start(url, dir);
    const file = join(dir, '.git', 'driftguard', 'parsed.json');
    // Valid JSON, a changed value: only the checksum can tell.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"v":"1"', '"v":"9"'));
    const again = await start(url, dir);
    const warned = again.lines.find((l) => l['event'] === 'git_cache_ignored');
    assert.match(String(warned?.['err']), /checksum/);
    assert.equal(synced(again)?.['cached'], 0);
    assert.deepEqual(state(again.src), await fresh(url));
    // Not JSON at all.
    writeFileSync(file, '{"format":1\n[[[');
    const third = await start(url, dir);
    assert.ok(third.lines.some((l) => l['event'] === 'git_cache_ignored'));
    assert.deepEqual(state(third.src), await fresh(url));
    const fourth = await start(url, dir);
    assert.equal(synced(fourth)?.['cached'], 3, 'rewritten by the start before');
    assert.equal(fourth.lines.filter((l) => l['event'] === 'git_cache_ignored').length, 0);
  });

  it('a damaged or truncated file list: the tree listed again, the same state', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    await start(url, dir);
    const file = join(dir, '.git', 'driftguard', 'tree.json');
    const text = readFileSync(file, 'utf8');
    for (const damaged of [text.slice(0, text.length - 10), text.replace(/"blobs":\[\[/, '"blobs":[[1,')]) {
      writeFileSync(file, damaged);
      const again = await start(url, dir);
      assert.equal(synced(again)?.['tree_cached'], false);
      assert.deepEqual(state(again.src), await fresh(url));
    }
    assert.equal(synced(await start(url, dir))?.['tree_cached'], true, 'rewritten by the start before');
  });

  it('other kind scopes from discovery: the cache is not used for them', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    const namespaced = await start(url, dir);
    assert.ok(namespaced.src.desired.get('Widget.example.com:default:w'));
    const clusterScoped = new Map([['Widget.example.com', false]]);
    const again = await start(url, dir, clusterScoped);
    assert.equal(synced(again)?.['cached'], 0);
    assert.ok(again.src.desired.get('Widget.example.com::w'), 'cluster-scoped: no namespace');
    assert.deepEqual(state(again.src), await fresh(url, clusterScoped));
  });

  it('kind scopes that changed while running: no cache of files parsed under the old ones', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    const facts: { scopes?: KindScopes } = {};
    const lines: Record<string, unknown>[] = [];
    const config = parseConfig(`git: { url: "${url}", path: manifests }\n`, {});
    const log = createLogger(
      { level: 'info', format: 'json' },
      { write: (t) => lines.push(JSON.parse(t) as Record<string, unknown>) },
    );
    const running = new GitSource(legacySource(config.git, 'default'), dir, log, null, () => facts.scopes);
    await running.sync();
    running.flushParseCache();
    // A CRD made Widget cluster-scoped; w.yaml, unchanged, is not parsed again while running.
    facts.scopes = new Map([['Widget.example.com', false]]);
    repo.commit({ 'manifests/b.yaml': cm('b', '2') });
    await running.sync();
    running.flushParseCache();
    const again = await start(url, dir, facts.scopes);
    assert.ok(again.src.desired.get('Widget.example.com::w'), 'cluster-scoped after the restart');
    assert.deepEqual(state(again.src), await fresh(url, facts.scopes));
  });

  it('a damaged clone: cloned afresh', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    await start(url, dir);
    writeFileSync(join(dir, '.git', 'HEAD'), 'not a ref\n');
    const again = await start(url, dir);
    assert.equal(again.src.commit, repo.head());
    assert.deepEqual(state(again.src), await fresh(url));
  });

  it('a kept clone with a damaged pack: the right state, from a fresh clone (at worst at the next sync)', async () => {
    const repo = newRepo();
    const { url } = repo.bare();
    const dir = work();
    await start(url, dir);
    // Cut the end of the clone's pack off (and drop the cache that would spare reading blobs).
    const packs = join(dir, '.git', 'objects', 'pack');
    for (const f of readdirSync(packs).filter((n) => n.endsWith('.pack'))) {
      const bytes = readFileSync(join(packs, f));
      writeFileSync(join(packs, f), bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    }
    rmSync(join(dir, '.git', 'driftguard'), { recursive: true });
    const again = await start(url, dir);
    console.log(
      'LOADED',
      again.src.desired.loaded,
      again.lines.filter((l) => l['event'] === 'git_sync_failed').map((l) => l['err']),
    );
    if (!again.src.desired.loaded) {
      assert.ok(again.lines.some((l) => l['event'] === 'git_sync_failed'));
      await again.src.sync();
    }
    assert.equal(again.src.commit, repo.head());
    assert.deepEqual(state(again.src), await fresh(url));
  });

  it('a checked-out tree with local edits and stray files: reset and cleaned before it is read', async () => {
    const repo = newRepo({ 'shared/x.yaml': cm('x', '1') });
    symlinkSync('../shared/x.yaml', join(repo.dir, 'manifests', 'x.yaml'));
    repo.commit({});
    const { url } = repo.bare();
    const dir = work();
    const first = await start(url, dir);
    assert.ok(first.src.desired.get('ConfigMap:app:x'), 'read through the checkout');
    writeFileSync(join(dir, 'manifests', 'stray.yaml'), cm('stray', '1'));
    writeFileSync(join(dir, 'manifests', 'a.yaml'), cm('a', 'edited'));
    const again = await start(url, dir);
    assert.equal(again.src.desired.get('ConfigMap:app:stray'), undefined);
    assert.equal(existsSync(join(dir, 'manifests', 'stray.yaml')), false);
    assert.deepEqual(state(again.src), await fresh(url));
  });
});
