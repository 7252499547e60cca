// The sh launcher: finds its bundle through krew-style relative symlinks (and chains of them),
// passes arguments through, and refuses a missing or too old Node with a clear message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'launcher.sh');
const root = mkdtempSync(join(tmpdir(), 'driftguard-launcher-'));
after(() => rmSync(root, { recursive: true, force: true }));

// Lay out a krew-like tree: store/driftguard/v0.1.0/{launcher,bundle}, bin/ -> relative symlink.
const store = join(root, 'store', 'driftguard', 'v0.1.0');
mkdirSync(store, { recursive: true });
copyFileSync(LAUNCHER, join(store, 'kubectl-driftguard'));
chmodSync(join(store, 'kubectl-driftguard'), 0o755);
// A stand-in bundle that reports how it was started.
writeFileSync(
  join(store, 'kubectl-driftguard.mjs'),
  'console.log(JSON.stringify({ argv: process.argv.slice(2), major: process.versions.node.split(".")[0], cache: process.env.NODE_COMPILE_CACHE ?? null }));\n',
);
mkdirSync(join(root, 'bin'));
symlinkSync('../store/driftguard/v0.1.0/kubectl-driftguard', join(root, 'bin', 'kubectl-driftguard'));
mkdirSync(join(root, 'other'));
symlinkSync('../bin/kubectl-driftguard', join(root, 'other', 'kubectl-driftguard'));

const nodeDir = dirname(process.execPath);
const run = (path: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(path, args, { encoding: 'utf8', env: { PATH: `${nodeDir}:/usr/bin:/bin`, ...env } });

test('through a relative symlink (and a chain of them) it runs the bundle next to the real file', () => {
  for (const entry of [join(root, 'bin', 'kubectl-driftguard'), join(root, 'other', 'kubectl-driftguard')]) {
    const r = run(entry, ['version', '--output', 'json with spaces']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      argv: ['version', '--output', 'json with spaces'],
      major: process.versions.node.split('.')[0],
      cache: null, // no HOME: no compile cache
    });
  }
});

test("the bundle's compiled code is cached under the user's cache directory, or not at all", () => {
  const home = join(root, 'home');
  mkdirSync(home);
  const entry = join(root, 'bin', 'kubectl-driftguard');
  const cached = JSON.parse(run(entry, ['version'], { HOME: home }).stdout) as { cache: string | null };
  assert.equal(cached.cache, join(home, '.cache', 'kubectl-driftguard', 'compile-cache'));
  assert.ok(statSync(cached.cache).isDirectory());
  const xdg = JSON.parse(run(entry, ['version'], { HOME: home, XDG_CACHE_HOME: join(root, 'xdg') }).stdout);
  assert.equal(xdg.cache, join(root, 'xdg', 'kubectl-driftguard', 'compile-cache'));
  // A cache directory that cannot be made (HOME is a file) leaves the cache off; the command runs.
  writeFileSync(join(root, 'home-file'), '');
  const off = run(entry, ['version'], { HOME: join(root, 'home-file') });
  assert.equal(off.status, 0, off.stderr);
  assert.equal((JSON.parse(off.stdout) as { cache: string | null }).cache, null);
  // The user's own setting wins.
  const own = JSON.parse(
    run(entry, ['version'], { HOME: home, NODE_COMPILE_CACHE: join(root, 'own') }).stdout,
  );
  assert.equal(own.cache, join(root, 'own'));
});

test('a Node older than 22 is refused with its version named', () => {
  const fake = join(root, 'old-node');
  writeFileSync(fake, '#!/bin/sh\necho v20.11.0\n');
  chmodSync(fake, 0o755);
  const r = run(join(root, 'bin', 'kubectl-driftguard'), ['version'], { KUBECTL_DRIFTGUARD_NODE: fake });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Node\.js >= 22 is required, but '.*old-node' is v20\.11\.0/);
  assert.match(r.stderr, /set KUBECTL_DRIFTGUARD_NODE=\/path\/to\/node to use another one/);
});

test('a missing Node is refused with where to get it', () => {
  const r = run(join(root, 'bin', 'kubectl-driftguard'), ['version'], {
    KUBECTL_DRIFTGUARD_NODE: join(root, 'no-such-node'),
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Node\.js >= 22 is required but .* was not found on PATH \(https:\/\/nodejs\.org\)/);
  assert.match(r.stderr, /set KUBECTL_DRIFTGUARD_NODE=\/path\/to\/node to use one elsewhere/);
});
