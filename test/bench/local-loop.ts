// `node --import tsx test/bench/local-loop.ts [--runs N] [--profile DIR] [--mutate] [PKG_DIR...]`:
// the side by side's `analyze --local` figure alone, cheaply and repeatably. One fresh full cluster
// with the bench's 1,000 objects (as scale.ts applies them), then N runs of each package through
// its krew launcher, the packages taking turns so a busy machine slows them alike; with --mutate,
// the same again after the side by side's 20 mutations. `kubectl diff -R` is not run: it takes
// ~90 s and is measured by `npm run bench`. A PKG_DIR holds a built kubectl-driftguard launcher and
// bundle (e.g. a copy of dist/ before a change); with none, the tree is packaged into dist/ first.
// --profile DIR writes a V8 CPU profile of every plugin process there (NODE_OPTIONS=--cpu-prof);
// with --names the tree's bundle keeps its function names (minified otherwise), for readable profiles.
// --serve FILE starts the cluster, writes {kubeconfig, repo} to FILE and holds it until SIGINT;
// --attach FILE runs against a held cluster (so a rebuild needs no new cluster).
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bundle } from '../../plugin/package/bundle.ts';
import { buildPackage, ROOT } from '../../plugin/package/build.ts';
import { startCluster } from '../cluster/cluster.ts';
import { runKubectl } from '../cluster/control-plane.ts';
import { makeRepo } from '../kit/repos.ts';
import { analyzeLocal, type Timed } from './compare.ts';
import { applyObjects, generateObjects, repoFiles } from './objects.ts';
import { mutate } from './scale.ts';

const N = 1000;
const args = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [v] = args.splice(i, 2).slice(1);
  return v ?? '';
}
function bool(name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}
const runs = Number(flag('--runs') ?? 5);
const profile = flag('--profile');
const serve = flag('--serve');
const attach = flag('--attach');
const doMutate = bool('--mutate');
const names = bool('--names');

/** The tree's package: dist/ as `npm run package` makes it, or a temp dir with a keepNames bundle. */
async function treePackage(): Promise<string> {
  if (!names) return dirname((await buildPackage()).bundlePath);
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-names-'));
  await bundle(ROOT, 'plugin/main.ts', join(dir, 'kubectl-driftguard.mjs'), { keepNames: true });
  copyFileSync(join(ROOT, 'plugin/package/launcher.sh'), join(dir, 'kubectl-driftguard'));
  chmodSync(join(dir, 'kubectl-driftguard'), 0o755);
  return dir;
}

interface Target {
  kubeconfig: string;
  repo: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};

async function time(target: Target, pkgs: string[], phase: string): Promise<void> {
  const env = profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(profile)}` } : {};
  const out = new Map<string, Timed[]>(pkgs.map((p) => [p, []]));
  // One unmeasured run each: the first fills the launcher's compile cache, as a user's first command does.
  for (const p of pkgs)
    await analyzeLocal(target.kubeconfig, target.repo, 'manifests', join(p, 'kubectl-driftguard'));
  for (let i = 0; i < runs; i++)
    for (const p of pkgs)
      out
        .get(p)
        ?.push(
          await analyzeLocal(target.kubeconfig, target.repo, 'manifests', join(p, 'kubectl-driftguard'), env),
        );
  for (const [p, ts] of out)
    console.log(
      `${phase}  ${p}: median ${median(ts.map((t) => t.ms)).toFixed(0)} ms, found ${ts[0]?.found ?? '?'}; runs ${ts.map((t) => t.ms.toFixed(0)).join(', ')}`,
    );
}

async function measure(target: Target, mutateNow: () => Promise<void>): Promise<void> {
  const pkgs = args.length > 0 ? args.map((a) => resolve(a)) : [await treePackage()];
  await time(target, pkgs, 'in sync');
  if (doMutate) {
    await mutateNow();
    await time(target, pkgs, 'after 20 mutations');
  }
}

if (attach) {
  const target = JSON.parse(readFileSync(attach, 'utf8')) as Target;
  const kubectlOk = async (a: string[]): Promise<string> => {
    const r = await runKubectl(target.kubeconfig, a);
    if (r.code !== 0) throw new Error(`kubectl ${a.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await measure(target, () => mutate({ kubectlOk }, generateObjects(N)));
} else {
  const cluster = await startCluster();
  const objects = generateObjects(N);
  const repo = makeRepo(repoFiles(objects));
  try {
    console.log(`applied ${N} objects in ${(await applyObjects(cluster, objects)).toFixed(1)} s`);
    const target = { kubeconfig: cluster.kubeconfig, repo: repo.dir };
    if (serve) {
      writeFileSync(serve, JSON.stringify(target));
      console.log(`holding the cluster: ${serve}; SIGINT stops it`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
    } else await measure(target, () => mutate(cluster, objects));
  } finally {
    await cluster.stop();
    repo.remove();
  }
}
