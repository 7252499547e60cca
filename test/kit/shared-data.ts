// Where the read-only test data lives: ../shared (corpus/, render-corpus/) beside this checkout, as
// in this repository's CI; else the git-ignored .corpus/ that `npm run corpus` fills from the
// pinned upstream commits; DRIFTGUARD_SHARED overrides both. A test that needs it and finds it
// absent skips with `sharedSkip(...)`'s reason: a clone elsewhere still passes `npm test`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder `npm run corpus` fetches into (git-ignored). */
export const FETCHED_DIR = join(REPO, '.corpus');

function sharedRoot(): string {
  const override = process.env['DRIFTGUARD_SHARED'];
  if (override) return resolve(override);
  const beside = join(REPO, '..', 'shared');
  return existsSync(join(beside, 'corpus')) || !existsSync(FETCHED_DIR) ? beside : FETCHED_DIR;
}

export const SHARED_DIR = sharedRoot();
/** Real-world manifests (kubernetes/examples, microservices-demo, podinfo, voting app). */
export const CORPUS = join(SHARED_DIR, 'corpus');
/** Real charts and Kustomize trees, as published (podinfo). */
export const RENDER_CORPUS = join(SHARED_DIR, 'render-corpus');
/** podinfo's repository in the render corpus (chart, kustomize/, deploy/). */
export const PODINFO = join(RENDER_CORPUS, 'stefanprodan__podinfo');

/** A test option: false when every path exists, else the reason to skip. */
export function sharedSkip(...paths: string[]): false | string {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return false;
  return `test data absent (${missing.join(', ')}): run \`npm run corpus\`, or set DRIFTGUARD_SHARED`;
}
