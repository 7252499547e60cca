// The agent's cold Git load on the benchmark's repository (issue 15): the same 10,000 objects
// (plus one Namespace file per namespace) the scale bench puts in Git, built once, then one
// GitSource.sync per fresh process, as the agent does at start. Prints wall time, the phases the
// source logs, peak RSS and the heap after a GC per run, and the top of a CPU profile.
//
//   node --import tsx test/bench/git-load.ts [--objects 10000] [--runs 3] [--prof]
//        [--repo DIR]          reuse a repository made by an earlier run (it is kept and printed)
//        [--trees A,B]         alternate runs between checkouts A and B (each needs this file's child)
//        [--kept]              every run on one work dir: run 1 is a cold start, the others restarts
//                              on the clone and parse cache it left (with --trees, one dir per tree)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeRepo } from '../kit/repos.ts';
import { topSelfTime } from './inspector.ts';
import { inclusiveTime } from './profile-tree.ts';
import { generateObjects, repoFiles } from './objects.ts';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    prof: { type: 'boolean', default: false },
    repo: { type: 'string' },
    trees: { type: 'string' },
    kept: { type: 'boolean', default: false },
  },
});
/** Functions whose time including callees says where the load goes. */
const INCLUSIVE = [
  'cloneFresh',
  'listSourceFiles',
  'exists',
  'read',
  'readBlobs',
  'apply',
  'parseManifests',
  'parseFile',
  'parseYaml',
  'parseAllDocuments',
  'toJS',
  'stringify',
  'parse',
  'nestingBomb',
  'tooDeep',
  'rebuildIndex',
  'retainOnly',
  'decode',
  '(garbage collector)',
  '(idle)',
];
const here = resolve(import.meta.dirname, '..', '..');
const trees = (values.trees ?? here).split(',').map((t) => resolve(t));

let repoDir = values.repo;
if (!repoDir || !existsSync(repoDir)) {
  const t0 = performance.now();
  const repo = makeRepo(repoFiles(generateObjects(Number(values.objects))));
  repoDir = repo.dir;
  console.log(
    `repository of ${Number(values.objects) + 10} files made in ${Math.round(performance.now() - t0)} ms: ${repoDir}`,
  );
}
console.log(
  `machine: ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const workDirs = new Map(
  trees.map((t) => [t, values.kept ? mkdtempSync(join(tmpdir(), 'dg-git-kept-')) : undefined]),
);
for (let run = 0; run < Number(values.runs); run++) {
  for (const tree of trees) {
    const work = workDirs.get(tree);
    const profDir = values.prof && run === 0 ? mkdtempSync(join(tmpdir(), 'dg-git-prof-')) : null;
    const out = execFileSync(
      join(tree, 'node_modules/.bin/node'),
      [
        '--expose-gc',
        '--import',
        'tsx',
        join(tree, 'test/bench/git-load-once.ts'),
        repoDir,
        ...(profDir ? [join(profDir, 'sync.cpuprofile')] : []),
      ],
      { cwd: tree, encoding: 'utf8', env: { ...process.env, ...(work ? { GIT_LOAD_WORK_DIR: work } : {}) } },
    );
    const line = out.trim().split('\n').pop() ?? '{}';
    const kind = work ? (run === 0 ? ' (cold)' : ' (restart)') : '';
    console.log(`${tree} run ${run + 1}${kind}${profDir ? ' (profiled)' : ''}: ${line}`);
    if (profDir) {
      for (const l of topSelfTime(join(profDir, 'sync.cpuprofile'), 25)) console.log(`  ${l}`);
      for (const l of inclusiveTime(join(profDir, 'sync.cpuprofile'), INCLUSIVE)) console.log(`  ${l}`);
      console.log(`  profile: ${profDir}/sync.cpuprofile`);
    }
  }
}
for (const dir of workDirs.values()) if (dir) rmSync(dir, { recursive: true, force: true });
if (!values.repo)
  console.log(`(repository kept for --repo: ${repoDir}; remove with rm -rf ${resolve(repoDir, '..')})`);
