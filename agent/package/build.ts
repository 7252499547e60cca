// `npm run build:agent`: the agent as one ESM file that plain `node` runs, the way the image runs it
// (agent/Dockerfile): no TypeScript loader, so no esbuild compiling every module at start and no
// source maps held in memory.
//   dist/driftguard-agent.mjs                    the bundle (needs Node >= 22.5 for node:sqlite)
//   dist/driftguard-agent.THIRD_PARTY_NOTICES    the licences of the packages bundled in
// The bundle lives one directory below the repository root: it reads ../package.json for its
// version, as agent/main.ts does from agent/.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  builtinsByRequire,
  clientNodeSubset,
  bundle,
  deferPackages,
  KUBECONFIG_PROXY_PACKAGES,
  thirdPartyNotices,
} from '../../shared/node/bundle.ts';
import { errorMessage } from '../../shared/errors.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT_BUNDLE = join(ROOT, 'dist', 'driftguard-agent.mjs');

export async function buildAgent(): Promise<{ path: string; bytes: number }> {
  const { bytes, packageDirs } = await bundle(ROOT, 'agent/main.ts', AGENT_BUNDLE, {
    // An agent's stack traces in its log and its CPU profiles should name real functions.
    keepNames: true,
    // Evaluated at every start otherwise: Node's facades of imported built-ins, and client-node's
    // proxy and fetch packages the agent reaches only through a proxy or the GitOps watches.
    plugins: [
      builtinsByRequire,
      clientNodeSubset(['KubeConfig', 'Watch']),
      deferPackages(KUBECONFIG_PROXY_PACKAGES),
    ],
  });
  writeFileSync(
    join(ROOT, 'dist', 'driftguard-agent.THIRD_PARTY_NOTICES'),
    thirdPartyNotices(ROOT, packageDirs, 'driftguard-agent'),
  );
  return { path: AGENT_BUNDLE, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAgent().then(
    (r) => process.stdout.write(`bundle ${r.path} (${(r.bytes / 1024).toFixed(0)} KiB)\n`),
    (err: unknown) => {
      process.stderr.write(`build failed: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
