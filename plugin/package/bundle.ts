// esbuild: plugin/main.ts and everything it imports (Ink, React, yoga's inlined wasm, commander…)
// into one ESM file that plain `node` runs, plus the licence texts of the packages bundled in.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

// Bundled CommonJS packages call require() for Node built-ins; ESM output has no require, so make one.
const REQUIRE_SHIM =
  "import { createRequire as __driftguardCreateRequire } from 'node:module';\nconst require = __driftguardCreateRequire(import.meta.url);";

// Ink imports its DevTools bridge (and through it `react-devtools-core`, not a dependency) only when
// DEV=true. Bundled, that import would become a static one that fails at start, so the bridge is
// replaced by an empty module: DEV=true then just has no DevTools.
const withoutInkDevtools: Plugin = {
  name: 'without-ink-devtools',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]devtools\.js$/ }, () => ({
      contents: 'export {};',
      loader: 'js',
    }));
  },
};

export interface BundleResult {
  bytes: number;
  /** node_modules package directories the bundle contains code from. */
  packageDirs: string[];
}

export async function bundle(root: string, entry: string, outfile: string): Promise<BundleResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    banner: { js: REQUIRE_SHIM },
    // React's production build: smaller, and no dev-only warnings on the user's terminal.
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [withoutInkDevtools],
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
export function thirdPartyNotices(root: string, dirs: readonly string[]): string {
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
  return `kubectl-driftguard bundles the following packages:\n\n${sections.join('\n' + '-'.repeat(72) + '\n\n')}`;
}
