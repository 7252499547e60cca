// Desired state from real git repositories: local path, file:// bare repo and smart HTTP with
// Basic auth; changed files only, per-file last good state, unreachable remote.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { startGitHttpServer } from '../../test/git/http-backend.ts';
import { git, makeRepo, type TestRepo } from '../../test/kit/repos.ts';
import { parseConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { GitSource } from './git-source.ts';
import { legacySource } from './source-spec.ts';

const cm = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: app }\ndata: { v: "${value}" }\n`;

function source(
  url: string,
  extra = '',
  env: NodeJS.ProcessEnv = {},
): { src: GitSource; lines: string[]; dir: string } {
  const lines: string[] = [];
  const config = parseConfig(`git: { url: "${url}", path: manifests${extra} }\n`, env);
  const log = createLogger({ level: 'info', format: 'json' }, { write: (t) => lines.push(t) });
  const dir = mkdtempSync(join(tmpdir(), 'dg-clone-'));
  return { src: new GitSource(legacySource(config.git, 'default'), dir, log), lines, dir };
}

const ids = (src: GitSource) => [...src.desired.entries()].map(([id]) => id).sort();

describe('git desired state', () => {
  const repos: TestRepo[] = [];
  const newRepo = () => {
    const r = makeRepo({
      'manifests/a.yaml': cm('a', '1'),
      'manifests/b.yaml': cm('b', '1'),
      'README.md': '# not a manifest\n',
    });
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.remove()));

  it('loads a local path, then re-reads only changed files', async () => {
    const repo = newRepo();
    const { src } = source(repo.dir);
    const first = await src.sync();
    assert.ok(first?.initial);
    assert.deepEqual([...first.touched].sort(), ['ConfigMap:app:a', 'ConfigMap:app:b']);
    assert.equal(src.desired.get('ConfigMap:app:a')?.desired.sourceFile, 'manifests/a.yaml');
    assert.equal(src.commit, repo.head());
    assert.equal(await src.sync(), null, 'no new commit, nothing to do');

    const c2 = repo.commit({
      'manifests/b.yaml': cm('b', '2'),
      'manifests/c.yaml': cm('c', '1'),
      'README.md': 'changed\n',
    });
    const second = await src.sync();
    assert.equal(second?.commit, c2);
    assert.deepEqual([...(second?.touched ?? [])].sort(), ['ConfigMap:app:b', 'ConfigMap:app:c']);
    assert.equal(src.desired.get('ConfigMap:app:c')?.commit, c2);
    assert.notEqual(src.desired.get('ConfigMap:app:a')?.commit, c2, 'untouched file keeps its commit');

    repo.commit({ 'manifests/c.yaml': null });
    const third = await src.sync();
    assert.deepEqual([...(third?.touched ?? [])], ['ConfigMap:app:c']);
    assert.equal(src.desired.get('ConfigMap:app:c'), undefined);
  });

  it("keeps a malformed file's last good objects and reports file and line", async () => {
    const repo = newRepo();
    const { src, lines } = source(repo.dir);
    await src.sync();
    const good = src.desired.get('ConfigMap:app:a')?.commit;
    repo.commit({ 'manifests/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a\n  bad: [\n' });
    await src.sync();
    assert.equal(src.desired.get('ConfigMap:app:a')?.commit, good, 'last good object kept');
    const err = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['event'] === 'git_parse_error');
    assert.equal(err?.['file'], 'manifests/a.yaml');
    assert.equal(typeof err?.['line'], 'number');
    assert.match(src.status().message, /1 file\(s\) do not parse.*manifests\/a\.yaml:\d+/);
    repo.commit({ 'manifests/a.yaml': cm('a', '3') });
    await src.sync();
    assert.equal(src.desired.brokenFiles().length, 0);
    assert.ok(lines.some((l) => l.includes('"event":"git_recovered"')));
  });

  it('clones a bare repo over file:// and keeps the state while the remote is gone', async () => {
    const repo = newRepo();
    const bare = repo.bare();
    const { src, lines } = source(bare.url);
    await src.sync();
    assert.equal(src.desired.size, 2);
    const moved = join(dirname(bare.dir), 'gone.git');
    renameSync(bare.dir, moved);
    assert.equal(await src.sync(), null);
    assert.ok(lines.some((l) => l.includes('"event":"git_sync_failed"')));
    assert.equal(src.desired.size, 2, 'last good state kept');
    assert.match(src.status().message, /last sync failed/);
    renameSync(moved, bare.dir);
    repo.commit({ 'manifests/d.yaml': cm('d', '1') });
    const back = await src.sync();
    assert.deepEqual([...(back?.touched ?? [])], ['ConfigMap:app:d']);
    assert.ok(lines.some((l) => l.includes('"event":"git_recovered"')));
  });

  it('fetches over HTTP with Basic auth; a wrong password fails without leaking it', async () => {
    const repo = newRepo();
    const bare = repo.bare();
    const server = await startGitHttpServer(dirname(bare.dir), 'alice', 's3cret-pw');
    try {
      const url = `${server.url}/repo.git`;
      const ok = source(url, ', auth: { username: alice, password_env: GIT_PW }', { GIT_PW: 's3cret-pw' });
      // parseConfig reads env for DRIFTGUARD_* only; the password is read from process.env at sync time.
      process.env['GIT_PW'] = 's3cret-pw';
      await ok.src.sync();
      assert.equal(ok.src.desired.size, 2, ok.lines.join(''));
      repo.commit({ 'manifests/e.yaml': cm('e', '1') });
      assert.deepEqual([...((await ok.src.sync())?.touched ?? [])], ['ConfigMap:app:e']);

      process.env['GIT_PW'] = 'wrong-pw';
      const bad = source(url, ', auth: { username: alice, password_env: GIT_PW }');
      assert.equal(await bad.src.sync(), null);
      assert.equal(bad.src.status().ready, false);
      assert.ok(server.rejected > 0);
      const text = bad.lines.join('');
      assert.match(text, /git_sync_failed/);
      assert.doesNotMatch(text, /wrong-pw|d3JvbmctcHc|YWxpY2U6d3Jvbmct/);
    } finally {
      delete process.env['GIT_PW'];
      await server.stop();
    }
  });
  it('reads a plain source from git objects, no work tree, through commits, deletions and a force-push', async () => {
    const repo = newRepo();
    const bare = repo.bare();
    const { src, dir } = source(bare.url);
    await src.sync();
    assert.deepEqual(ids(src), ['ConfigMap:app:a', 'ConfigMap:app:b']);
    assert.equal(existsSync(join(dir, 'manifests', 'a.yaml')), false, 'nothing checked out');
    repo.commit({
      'manifests/b.yaml': null,
      'manifests/sub/c.yaml': cm('c', '1'),
      'manifests/.hidden/d.yaml': cm('d', '1'),
    });
    const change = await src.sync();
    assert.deepEqual([...(change?.touched ?? [])].sort(), ['ConfigMap:app:b', 'ConfigMap:app:c']);
    assert.deepEqual(ids(src), ['ConfigMap:app:a', 'ConfigMap:app:c']);
    // History rewritten on the remote: the source follows the new branch tip.
    git(repo.dir, ['reset', '-q', '--hard', 'HEAD~1']);
    writeFileSync(join(repo.dir, 'manifests', 'e.yaml'), cm('e', '1'));
    git(repo.dir, ['add', '-A']);
    git(repo.dir, ['commit', '-q', '-m', 'rewritten']);
    git(repo.dir, ['push', '-q', '-f', bare.dir, 'main:main']);
    const rewritten = await src.sync();
    assert.equal(rewritten?.commit, repo.head());
    assert.deepEqual(ids(src), ['ConfigMap:app:a', 'ConfigMap:app:b', 'ConfigMap:app:e']);
    assert.equal(src.desired.get('ConfigMap:app:b')?.commit, repo.head());
    assert.equal(existsSync(join(dir, 'manifests', 'a.yaml')), false, 'still nothing checked out');
  });

  it('checks the tree out when only real files can say: a symlink, a kustomization', async () => {
    const repo = newRepo();
    const { src, dir, lines } = source(repo.dir);
    await src.sync();
    assert.equal(existsSync(join(dir, 'manifests', 'a.yaml')), false);
    // A link to a file elsewhere in the repository: read through the checkout, as before.
    repo.commit({ 'shared/x.yaml': cm('x', '1') });
    symlinkSync('../shared/x.yaml', join(repo.dir, 'manifests', 'x.yaml'));
    repo.commit({});
    await src.sync();
    assert.deepEqual(ids(src), ['ConfigMap:app:a', 'ConfigMap:app:b', 'ConfigMap:app:x']);
    assert.equal(readFileSync(join(dir, 'manifests', 'a.yaml'), 'utf8'), cm('a', '1'), 'checked out');
    // Later commits move the checkout too.
    repo.commit({ 'manifests/a.yaml': cm('a', '2') });
    await src.sync();
    assert.equal(readFileSync(join(dir, 'manifests', 'a.yaml'), 'utf8'), cm('a', '2'));

    const other = newRepo();
    other.commit({ 'manifests/kustomization.yaml': 'resources: [a.yaml]\n' });
    const k = source(other.dir);
    assert.equal(await k.src.sync(), null);
    assert.match(k.lines.join(''), /is kustomize, and rendering is not set up/);
    assert.ok(existsSync(join(k.dir, 'manifests', 'kustomization.yaml')), 'checked out to detect it');
    void lines;
  });

  it('reads a repository with more files than the process may open at once', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) files[`manifests/cm-${i}.yaml`] = cm(`cm-${i}`, '1');
    const r = makeRepo(files);
    repos.push(r);
    // 256 descriptors for a repository of 1,500 files: reading them all at once fails with EMFILE.
    const script = resolve(import.meta.dirname, '../../test/git/sync-once.ts');
    const out = execFileSync(
      'bash',
      ['-c', 'ulimit -n 256 && exec "$0" --import tsx "$1" "$2"', process.execPath, script, r.dir],
      { encoding: 'utf8' },
    );
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { objects: number; errors: string[] };
    assert.deepEqual(result.errors, []);
    assert.equal(result.objects, 1500);
  });
});
