// End to end: build the package, install it with the real krew from the test harness (offline:
// --manifest + --archive), then run `kubectl driftguard version` through the real kubectl, which
// finds the plugin on PATH through krew's symlink and the sh launcher.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { binaries } from '../cluster/binaries.ts';
import { buildPackage, ROOT } from '../../plugin/package/build.ts';

const pkgVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const work = mkdtempSync(join(tmpdir(), 'driftguard-krew-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('krew installs the archive and kubectl runs `kubectl driftguard version`', async () => {
  const { krew, kubectl } = binaries();
  const built = await buildPackage({ outDir: join(work, 'dist') });

  const krewRoot = join(work, 'krew');
  // `install --manifest` skips the index, but krew still expects an index checkout to exist.
  mkdirSync(join(krewRoot, 'index', 'default', '.git'), { recursive: true });
  const env = {
    HOME: work,
    KREW_ROOT: krewRoot,
    KREW_NO_UPGRADE_CHECK: '1',
    // krew's bin first, then kubectl, then the Node the tests run on (>= 22): nothing else.
    PATH: [join(krewRoot, 'bin'), dirname(kubectl), dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    KUBECONFIG: join(work, 'no-kubeconfig'),
    // `version` asks the agent too: point it at a closed port so it fails fast and says so on stderr.
    DRIFTGUARD_AGENT_URL: 'http://127.0.0.1:9',
  };

  const install = spawnSync(
    krew,
    ['install', `--manifest=${built.manifestPath}`, `--archive=${built.archivePath}`],
    { env, encoding: 'utf8' },
  );
  assert.equal(install.status, 0, `krew install failed:\n${install.stdout}\n${install.stderr}`);
  const link = join(krewRoot, 'bin', 'kubectl-driftguard');
  assert.ok(lstatSync(link).isSymbolicLink(), 'krew links the plugin into $KREW_ROOT/bin');
  assert.ok(existsSync(join(krewRoot, 'store', 'driftguard', `v${pkgVersion}`, 'LICENSE')));

  const list = spawnSync(krew, ['list'], { env, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  // Installed from a manifest file rather than an index, so krew lists it as "detached/driftguard".
  assert.match(list.stdout, /^(detached\/)?driftguard$/m);

  const version = spawnSync(kubectl, ['driftguard', 'version'], { env, encoding: 'utf8' });
  assert.equal(version.status, 0, `kubectl driftguard version failed:\n${version.stdout}\n${version.stderr}`);
  assert.match(version.stdout, new RegExp(`^Plugin Version: ${pkgVersion.replaceAll('.', '\\.')}$`, 'm'));
  assert.match(version.stderr, /agent version unknown/);

  const plugins = spawnSync(kubectl, ['plugin', 'list'], { env, encoding: 'utf8' });
  assert.match(plugins.stdout, /kubectl-driftguard/);

  // Completion ships in the archive: linked as krew.yaml's caveats say, kubectl completes through it.
  const store = join(krewRoot, 'store', 'driftguard', `v${pkgVersion}`);
  assert.ok(
    existsSync(join(store, 'kubectl_complete-driftguard')),
    'the archive ships kubectl_complete-driftguard',
  );
  symlinkSync(
    join(store, 'kubectl_complete-driftguard'),
    join(krewRoot, 'bin', 'kubectl_complete-driftguard'),
  );
  const complete = spawnSync(kubectl, ['__complete', 'driftguard', 'sta'], { env, encoding: 'utf8' });
  assert.equal(complete.status, 0, complete.stderr);
  assert.match(complete.stdout, /^status\b/m);
  const ns = spawnSync(kubectl, ['__complete', 'driftguard', 'get', '-o', ''], { env, encoding: 'utf8' });
  assert.match(ns.stdout, /^wide$/m);
  for (const shell of ['bash', 'zsh', 'fish']) {
    const script = spawnSync(kubectl, ['driftguard', 'completion', shell], { env, encoding: 'utf8' });
    assert.equal(script.status, 0, script.stderr);
    assert.match(script.stdout, /kubectl-driftguard __complete/);
  }
});
