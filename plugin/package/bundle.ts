// esbuild: plugin/main.ts and everything it imports (Ink, React, yoga's inlined wasm, commander…)
// into one ESM file that plain `node` runs (shared/node/bundle.ts), plus the licence texts of the
// packages bundled in.
import type { Plugin } from 'esbuild';
import {
  builtinsByRequire,
  clientNodeSubset,
  bundle as bundleEntry,
  deferPackages,
  KUBECONFIG_PROXY_PACKAGES,
  thirdPartyNotices as notices,
  type BundleResult,
} from '../../shared/node/bundle.ts';

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

/** `keepNames` for a bundle whose CPU profiles name real functions (test/bench/local-loop.ts --names). */
export function bundle(
  root: string,
  entry: string,
  outfile: string,
  opts: { keepNames?: boolean } = {},
): Promise<BundleResult> {
  return bundleEntry(root, entry, outfile, {
    ...opts,
    plugins: [
      withoutInkDevtools,
      builtinsByRequire,
      clientNodeSubset(['KubeConfig', 'PortForward']),
      deferPackages(KUBECONFIG_PROXY_PACKAGES),
    ],
  });
}

export function thirdPartyNotices(root: string, dirs: readonly string[]): string {
  return notices(root, dirs, 'kubectl-driftguard');
}
