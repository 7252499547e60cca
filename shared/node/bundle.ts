// esbuild: one entry point and everything it imports into one ESM file that plain `node` runs (no
// TypeScript loader at start), plus the licence texts of the packages bundled in. Build tooling
// shared by the plugin's krew package (plugin/package/bundle.ts) and the agent's image bundle
// (agent/package/build.ts); never imported by product code at run time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

// Bundled CommonJS packages call require() for Node built-ins; ESM output has no require, so make one.
const REQUIRE_SHIM =
  "import { createRequire as __driftguardCreateRequire } from 'node:module';\nconst require = __driftguardCreateRequire(import.meta.url);";

export interface BundleResult {
  bytes: number;
  /** node_modules package directories the bundle contains code from. */
  packageDirs: string[];
}

export interface BundleOptions {
  plugins?: Plugin[];
  /** Keep identifiers (whitespace and syntax still minified): stack traces and CPU profiles name real functions. */
  keepNames?: boolean;
}

export async function bundle(
  root: string,
  entry: string,
  outfile: string,
  opts: BundleOptions = {},
): Promise<BundleResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    ...(opts.keepNames
      ? { minifyWhitespace: true, minifySyntax: true, minifyIdentifiers: false }
      : { minify: true }),
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    banner: { js: REQUIRE_SHIM },
    // Production builds of the dependencies (React's, among others): smaller, no dev-only warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: opts.plugins ?? [],
  });
  return { bytes: statSync(resolve(root, outfile)).size, packageDirs: packageDirs(result.metafile) };
}

function packageDirs(meta: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

/** One text with each bundled package's name, version, licence and licence file (MIT and friends ask for it). */
export function thirdPartyNotices(root: string, dirs: readonly string[], product: string): string {
  const sections = dirs.map((dir) => {
    const abs = join(root, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
      license?: string;
    };
    const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file
      ? readFileSync(join(abs, file), 'utf8').trim()
      : `(no licence file shipped; package.json says ${pkg.license ?? 'nothing'})`;
    return `${pkg.name ?? dir}@${pkg.version ?? '?'} (${pkg.license ?? 'unknown'})\n\n${text}\n`;
  });
  return `${product} bundles the following packages:\n\n${sections.join('\n' + '-'.repeat(72) + '\n\n')}`;
}
