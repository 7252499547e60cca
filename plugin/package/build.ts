// `npm run package`: the krew release of kubectl-driftguard.
//   dist/kubectl-driftguard.mjs       the plugin as one ESM bundle (needs Node >= 22)
//   dist/driftguard-v<version>.tar.gz launcher + bundle + LICENSE + third-party notices, byte-for-byte reproducible
//   dist/krew.yaml                    krew.yaml with the archive's sha256 and download URL filled in
// DRIFTGUARD_RELEASE_URL overrides the download base URL; SOURCE_DATE_EPOCH the archive's mtime.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { bundle, thirdPartyNotices } from './bundle.ts';
import { krewManifestProblems } from './krew-rules.ts';
import { tarGz, type TarEntry } from './tar.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PLACEHOLDER_SHA = '0'.repeat(64);
// 1980-01-01, the oldest time every archive format can hold: a fixed mtime when none is given.
const DEFAULT_MTIME = 315532800;

export interface PackageResult {
  version: string;
  bundlePath: string;
  archivePath: string;
  manifestPath: string;
  sha256: string;
  bundleBytes: number;
  archiveBytes: number;
}

export interface PackageOptions {
  /** Output directory: absolute, or relative to the repository root. */
  outDir?: string;
  env?: NodeJS.ProcessEnv;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return `v${pkg.version}`;
}

export function archiveName(version: string): string {
  return `driftguard-${version}.tar.gz`;
}

/** krew.yaml with the real digest and URL, by text substitution so its comments survive. */
export function fillManifest(template: string, version: string, sha256: string, uri: string): string {
  const doc: unknown = parse(template);
  const templVersion = (doc as { spec?: { version?: unknown } }).spec?.version;
  if (templVersion !== version) throw new Error(`krew.yaml spec.version is ${String(templVersion)} but package.json says ${version}`);
  if (!template.includes(PLACEHOLDER_SHA)) throw new Error('krew.yaml has no sha256 placeholder (64 zeros) to fill');
  return template
    .replaceAll(PLACEHOLDER_SHA, sha256)
    .replace(/^(\s*uri:\s*).*$/gm, `$1${uri}`);
}

export async function buildPackage(opts: PackageOptions = {}): Promise<PackageResult> {
  const env = opts.env ?? process.env;
  const outDir = resolve(ROOT, opts.outDir ?? 'dist');
  const version = packageVersion();
  mkdirSync(outDir, { recursive: true });

  const bundlePath = join(outDir, 'kubectl-driftguard.mjs');
  const { bytes: bundleBytes, packageDirs } = await bundle(ROOT, 'plugin/main.ts', bundlePath);
  const launcher = readFileSync(join(ROOT, 'plugin/package/launcher.sh'));
  const launcherPath = join(outDir, 'kubectl-driftguard');
  writeFileSync(launcherPath, launcher);
  chmodSync(launcherPath, 0o755);

  const entries: TarEntry[] = [
    { name: 'kubectl-driftguard', data: launcher, mode: 0o755 },
    { name: 'kubectl-driftguard.mjs', data: readFileSync(bundlePath), mode: 0o644 },
    { name: 'LICENSE', data: readFileSync(join(ROOT, 'LICENSE')), mode: 0o644 },
    { name: 'THIRD_PARTY_NOTICES', data: Buffer.from(thirdPartyNotices(ROOT, packageDirs)), mode: 0o644 },
  ];
  const mtime = Number(env['SOURCE_DATE_EPOCH'] ?? DEFAULT_MTIME);
  const archive = tarGz(entries, Number.isFinite(mtime) ? mtime : DEFAULT_MTIME);
  const archivePath = join(outDir, archiveName(version));
  writeFileSync(archivePath, archive);
  const sha256 = createHash('sha256').update(archive).digest('hex');

  const base = env['DRIFTGUARD_RELEASE_URL'] ?? `https://github.com/driftguard/driftguard/releases/download/${version}`;
  const manifest = fillManifest(readFileSync(join(ROOT, 'krew.yaml'), 'utf8'), version, sha256, `${base}/${archiveName(version)}`);
  const problems = krewManifestProblems(parse(manifest));
  if (problems.length) throw new Error(`dist krew.yaml is not valid for krew:\n  ${problems.join('\n  ')}`);
  const manifestPath = join(outDir, 'krew.yaml');
  writeFileSync(manifestPath, manifest);

  return { version, bundlePath, archivePath, manifestPath, sha256, bundleBytes, archiveBytes: archive.length };
}

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildPackage().then(
    (r) => {
      process.stdout.write(
        `bundle   ${r.bundlePath} (${kib(r.bundleBytes)})\n` +
          `archive  ${r.archivePath} (${kib(r.archiveBytes)})\n` +
          `sha256   ${r.sha256}\n` +
          `manifest ${r.manifestPath}\n`,
      );
    },
    (err: unknown) => {
      process.stderr.write(`package failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
