// esbuild: one entry point and everything it imports into one ESM file that plain `node` runs (no
// TypeScript loader at start), plus the licence texts of the packages bundled in. Build tooling
// shared by the plugin's krew package (plugin/package/bundle.ts) and the agent's image bundle
// (agent/package/build.ts); never imported by product code at run time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
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

/**
 * Node built-ins loaded with the bundle's require() instead of ESM imports: for an imported built-in
 * Node builds a module facade that reads every export, getters included, and some getters load a
 * lot (node:http's WebSocket loads Node's own copy of undici): ~20 ms at every start.
 */
export const builtinsByRequire: Plugin = {
  name: 'builtins-by-require',
  setup(b) {
    const names = new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])));
    b.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, (a) => {
      if (!names.has(a.path)) return undefined;
      if (a.kind === 'require-call') return { path: a.path, external: true };
      return { path: a.path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(a.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * What client-node's kubeconfig code imports for proxies and fetch(): the agent and the plugin talk
 * to the API server with node:https and need them only when a kubeconfig names a proxy (or, in the
 * agent, for the GitOps objects' watches through client-node), so both bundles defer them.
 */
export const KUBECONFIG_PROXY_PACKAGES = ['undici', 'socks-proxy-agent', 'socks', 'hpagent'] as const;

/**
 * Packages whose code runs when first used instead of at start. A module the bundle imports is
 * evaluated at start even if nothing calls it (client-node's kubeconfig code imports undici, socks and
 * hpagent for proxies and fetch, ~100 ms, and the plugin uses none of them unless a proxy is set).
 * Each import of one of them gets a stand-in whose exports (read from the package at build time)
 * are getters that require() the real package the first time one is read.
 */
export function deferPackages(packages: readonly string[]): Plugin {
  const req = createRequire(import.meta.url);
  return {
    name: 'defer-packages',
    setup(b) {
      const filter = new RegExp(
        `^(${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`,
      );
      b.onResolve({ filter }, async (a) => {
        if (a.pluginData === 'deferred') return undefined;
        const real = await b.resolve(a.path, {
          kind: a.kind,
          resolveDir: a.resolveDir,
          importer: a.importer,
          pluginData: 'deferred',
        });
        if (real.errors.length > 0) return { errors: real.errors };
        // `.cjs`: the stand-in is CommonJS whatever the package is (esbuild reads .mjs as ESM).
        return { path: `${real.path}.cjs`, namespace: 'deferred', pluginData: real.path };
      });
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, (a) => {
        const path = a.pluginData as string;
        const keys = Object.keys(req(path) as object).filter((k) => k !== 'default');
        const lines = keys.map(
          (k) =>
            `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });`,
        );
        return {
          contents: `let m;\nconst load = () => (m ??= require(${JSON.stringify(path)}));\n${lines.join('\n')}\n`,
          loader: 'js',
          resolveDir: dirname(path),
          pluginData: 'deferred',
        };
      });
    },
  };
}

/** The client-node classes a bundle may use, each in its own file (see clientNodeSubset). */
const CLIENT_NODE_CLASSES = { KubeConfig: 'config.js', PortForward: 'portforward.js', Watch: 'watch.js' };

/**
 * client-node's index re-exports its whole generated API (every model and API class), and its
 * kubeconfig code imports the generated index for two names: evaluated at every start, ~55 ms of
 * CPU (profile of `analyze --local`) for code neither bundle runs. So in the bundles the package's
 * index gives only the classes the bundle names, each read from its own file when first used
 * (PortForward's file still imports the generated API: a command that forwards a port pays for it
 * then; the agent bundle leaves it out), and the kubeconfig code's import of the generated index
 * gives the two names it uses. A bundle that imports another name from the package fails to
 * build ("No matching export"), not at run time.
 */
export function clientNodeSubset(classes: readonly (keyof typeof CLIENT_NODE_CLASSES)[]): Plugin {
  const dist = dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node'));
  const getters = classes.map(
    (name, i) =>
      `let m${i};\nObject.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => (m${i} ??= require(${JSON.stringify(`./${CLIENT_NODE_CLASSES[name]}`)})).${name} });`,
  );
  const modules: Record<string, string> = {
    'index.cjs': getters.join('\n'),
    'kubeconfig-gen.js':
      "export { createConfiguration } from './gen/configuration.js';\nexport { ServerConfiguration } from './gen/servers.js';",
  };
  return {
    name: 'client-node-subset',
    setup(b) {
      b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({
        path: 'index.cjs',
        namespace: 'client-node',
      }));
      b.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (a) =>
        a.importer === join(dist, 'config.js')
          ? { path: 'kubeconfig-gen.js', namespace: 'client-node' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'client-node' }, (a) => ({
        contents: modules[a.path] ?? '',
        loader: 'js',
        resolveDir: dist,
      }));
    },
  };
}

function packageDirs(meta: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    if (/^[a-z-]+:/.test(input)) continue; // a plugin's stand-in (deferred:…, builtin:…), not a file
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
