// krew.yaml against krew's validation rules, and the built archive against the manifest: every file
// the manifest installs is in it, LICENSE included, and its digest is the one written to dist/krew.yaml.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { buildPackage, ROOT, type PackageResult } from '../../plugin/package/build.ts';
import { KREW_API_VERSION, krewManifestProblems } from '../../plugin/package/krew-rules.ts';

interface Platform {
  selector: { matchLabels: Record<string, string> };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; platforms: Platform[] };
}

const template = readFileSync(join(ROOT, 'krew.yaml'), 'utf8');
const doc = parse(template) as Manifest;
const pkgVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

test('krew.yaml passes krew validation', () => {
  assert.deepEqual(krewManifestProblems(doc), []);
  assert.equal(doc.apiVersion, KREW_API_VERSION);
  assert.equal(doc.kind, 'Plugin');
  assert.equal(doc.metadata.name, 'driftguard');
  assert.equal(doc.spec.version, `v${pkgVersion}`);
});

test('one platform-independent archive serves linux and darwin on amd64 and arm64', () => {
  const selectors = doc.spec.platforms.map(
    (p) => `${p.selector.matchLabels['os']}/${p.selector.matchLabels['arch']}`,
  );
  assert.deepEqual(selectors.sort(), ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64']);
  assert.equal(new Set(doc.spec.platforms.map((p) => p.uri)).size, 1);
  for (const p of doc.spec.platforms) {
    assert.deepEqual(Object.keys(p.selector.matchLabels).sort(), ['arch', 'os']);
    assert.equal(p.bin, 'kubectl-driftguard');
    assert.ok(p.files.some((f) => f.from === 'LICENSE'));
  }
});

test('the rules reject what krew rejects', () => {
  const broken = (mutate: (m: Manifest) => void): string[] => {
    const m = parse(template) as Manifest;
    mutate(m);
    return krewManifestProblems(m);
  };
  const p0 = (m: Manifest): Platform => m.spec.platforms[0] as Platform;
  assert.match(
    broken((m) => void (m.apiVersion = 'krew.googlecontainertools.github.com/v1alpha1')).join(),
    /apiVersion/,
  );
  assert.match(broken((m) => void (m.spec.version = '0.1.0')).join(), /v-prefixed semver/);
  assert.match(broken((m) => void (p0(m).sha256 = 'A'.repeat(64))).join(), /lowercase hex/);
  assert.match(
    broken((m) => void (p0(m).selector.matchLabels['distro'] = 'debian')).join(),
    /"distro" is not supported/,
  );
  assert.match(broken((m) => void (p0(m).bin = '')).join(), /bin is required/);
  assert.match(broken((m) => void (m.metadata.name = 'drift/guard')).join(), /metadata.name/);
});

let built: PackageResult;
let outDir: string;
const archiveFiles = (archive: string): string[] =>
  execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean);

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'driftguard-package-'));
  built = await buildPackage({ outDir, env: { DRIFTGUARD_RELEASE_URL: 'https://example.test/releases/v9' } });
});
after(() => rmSync(outDir, { recursive: true, force: true }));

test('the archive holds LICENSE and every file the manifest installs, the launcher executable', () => {
  const names = archiveFiles(built.archivePath);
  assert.ok(names.includes('LICENSE'));
  for (const p of doc.spec.platforms)
    for (const f of p.files) assert.ok(names.includes(f.from), `${f.from} missing from ${names.join(' ')}`);
  const listing = execFileSync('tar', ['-tvzf', built.archivePath], { encoding: 'utf8' });
  assert.match(listing, /^-rwxr-xr-x .* kubectl-driftguard$/m);
  assert.equal(
    readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    execFileSync('tar', ['-xzOf', built.archivePath, 'LICENSE'], { encoding: 'utf8' }),
  );
});

test('dist/krew.yaml carries the archive digest and URL and still passes validation', () => {
  const filled = parse(readFileSync(built.manifestPath, 'utf8')) as Manifest;
  assert.deepEqual(krewManifestProblems(filled), []);
  assert.doesNotMatch(readFileSync(built.manifestPath, 'utf8'), /TEMPLATE|placeholder/);
  const digest = createHash('sha256').update(readFileSync(built.archivePath)).digest('hex');
  assert.equal(built.sha256, digest);
  for (const p of filled.spec.platforms) {
    assert.equal(p.sha256, digest);
    assert.equal(p.uri, `https://example.test/releases/v9/driftguard-v${pkgVersion}.tar.gz`);
  }
});

test('the archive is reproducible: a second build gives the same sha256', async () => {
  const again = mkdtempSync(join(tmpdir(), 'driftguard-package-'));
  try {
    const second = await buildPackage({ outDir: again });
    assert.equal(second.sha256, built.sha256);
  } finally {
    rmSync(again, { recursive: true, force: true });
  }
});

test('the bundle runs with plain node: version and --help', () => {
  const env = {
    ...process.env,
    KUBECONFIG: join(outDir, 'missing-kubeconfig'),
    DRIFTGUARD_AGENT_URL: 'http://127.0.0.1:9',
  };
  const version = execFileSync(process.execPath, [built.bundlePath, 'version'], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.match(version, new RegExp(`Plugin Version: ${pkgVersion.replaceAll('.', '\\.')}`));
  const help = execFileSync(process.execPath, [built.bundlePath, '--help'], { encoding: 'utf8', env });
  assert.match(help, /Usage: kubectl driftguard/);
  assert.match(help, /\bui\b/);
});
