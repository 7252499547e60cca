// `npm run corpus`: fetches the test corpora (../shared/corpus and ../shared/render-corpus, as
// this repository's CI has them beside the checkout) from their pinned upstream commits into the
// git-ignored .corpus/, file by file as listed in manifest.json, each checked against its SHA-256.
// Tests find .corpus/ when ../shared is absent (test/kit/shared-data.ts). Needs the network
// (codeload.github.com) and `tar`.
//
//   npm run corpus [-- --dest DIR] [--only OWNER/REPO] [--dry-run]
//   npm run corpus -- --write-manifest [--from DIR]   (maintainers: list ../shared's files again)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FETCHED_DIR } from '../kit/shared-data.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const MANIFEST = join(HERE, 'manifest.json');
const CORPORA = ['corpus', 'render-corpus'] as const;

export interface Source {
  /** owner/repo on GitHub. */
  repo: string;
  /** The pinned commit, as SOURCES.md gives it. */
  commit: string;
  license: string;
}

export interface ManifestFile {
  /** Where it goes, under the destination: corpus/<owner>__<repo>/<path>. */
  dest: string;
  repo: string;
  /** Its path in the upstream repository. */
  path: string;
  sha256: string;
}

export interface Manifest {
  sources: Source[];
  files: ManifestFile[];
}

export interface Options {
  command: 'fetch' | 'write-manifest' | 'help';
  dest: string;
  only: string | null;
  dryRun: boolean;
  from: string;
}

export const USAGE = `usage: npm run corpus [-- --dest DIR] [--only OWNER/REPO] [--dry-run]
       npm run corpus -- --write-manifest [--from DIR]
Fetches the test corpora from their pinned upstream commits (test/corpus/manifest.json) into
${relative(process.cwd(), FETCHED_DIR) || '.corpus'} (git-ignored); the tests read it when ../shared is absent.`;

/** The command line, or an Error naming what is wrong with it. */
export function parseArgs(
  argv: readonly string[],
  defaults = { dest: FETCHED_DIR, from: join(HERE, '..', '..', '..', 'shared') },
): Options {
  const o: Options = {
    command: 'fetch',
    dest: defaults.dest,
    only: null,
    dryRun: false,
    from: defaults.from,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.command = 'help';
    else if (a === '--dry-run') o.dryRun = true;
    else if (a === '--write-manifest') o.command = 'write-manifest';
    else if (a === '--dest') o.dest = resolve(value(i++, a));
    else if (a === '--from') o.from = resolve(value(i++, a));
    else if (a === '--only') {
      const v = value(i++, a);
      if (!/^[\w.-]+\/[\w.-]+$/.test(v)) throw new Error(`--only takes OWNER/REPO, not ${JSON.stringify(v)}`);
      o.only = v;
    } else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  }
  return o;
}

/** The source table of a SOURCES.md (| source | commit | license | ... |). */
export function parseSources(markdown: string): Source[] {
  const out: Source[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const [, repo, commit, license] = cells;
    if (repo && commit && license && /^[\w.-]+\/[\w.-]+$/.test(repo) && /^[0-9a-f]{7,40}$/.test(commit))
      out.push({ repo, commit, license });
  }
  return out;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The manifest of the corpora in `from` (a ../shared): its pins and every file with its hash. */
export function manifestOf(from: string): Manifest {
  const sources = new Map<string, Source>();
  const files: ManifestFile[] = [];
  for (const corpus of CORPORA) {
    const dir = join(from, corpus);
    for (const s of parseSources(readFileSync(join(dir, 'SOURCES.md'), 'utf8'))) {
      const known = sources.get(s.repo);
      if (known && known.commit !== s.commit)
        throw new Error(`${s.repo} is pinned at ${known.commit} and at ${s.commit}`);
      sources.set(s.repo, s);
    }
    for (const file of walk(dir).sort()) {
      const rel = relative(dir, file);
      if (rel === 'SOURCES.md') continue;
      const [folder = '', ...rest] = rel.split('/');
      const repo = folder.replace('__', '/');
      if (!sources.has(repo)) throw new Error(`${corpus}/${rel}: ${repo} is not in ${corpus}/SOURCES.md`);
      files.push({ dest: `${corpus}/${rel}`, repo, path: rest.join('/'), sha256: sha256(file) });
    }
  }
  return { sources: [...sources.values()], files };
}

/** Downloads `source` at its commit and unpacks it; returns the unpacked tree's root. */
function download(source: Source, into: string): string {
  const url = `https://codeload.github.com/${source.repo}/tar.gz/${source.commit}`;
  const archive = join(into, 'source.tar.gz');
  const curl = spawnSync('curl', ['-fsSL', '--retry', '2', '-o', archive, url], { encoding: 'utf8' });
  if (curl.status !== 0)
    throw new Error(
      `could not download ${url} (no network here?): ${curl.stderr.trim() || curl.error?.message}`,
    );
  const tree = join(into, 'tree');
  mkdirSync(tree);
  const tar = spawnSync('tar', ['-xzf', archive, '-C', tree, '--strip-components=1'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`could not unpack ${url}: ${tar.stderr.trim()}`);
  return tree;
}

export function fetchCorpora(manifest: Manifest, o: Options, log = console.log): void {
  const sources = manifest.sources.filter((s) => o.only === null || s.repo === o.only);
  if (o.only !== null && sources.length === 0)
    throw new Error(`--only ${o.only}: not a source of the manifest`);
  for (const source of sources) {
    const files = manifest.files.filter((f) => f.repo === source.repo);
    log(`${source.repo}@${source.commit} (${source.license}): ${files.length} files → ${o.dest}`);
    if (o.dryRun) continue;
    const work = mkdtempSync(join(tmpdir(), 'driftguard-corpus-'));
    try {
      const tree = download(source, work);
      for (const f of files) {
        const from = join(tree, f.path);
        if (!existsSync(from)) throw new Error(`${source.repo}@${source.commit} has no ${f.path}`);
        const got = sha256(from);
        if (got !== f.sha256)
          throw new Error(`${source.repo}/${f.path}: SHA-256 ${got}, expected ${f.sha256}`);
        const to = join(o.dest, f.dest);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(from, to);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

function main(argv: readonly string[]): number {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (o.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    if (o.command === 'write-manifest') {
      const m = manifestOf(o.from);
      writeFileSync(MANIFEST, `${JSON.stringify(m, null, 2)}\n`);
      console.log(`${MANIFEST}: ${m.sources.length} sources, ${m.files.length} files`);
      return 0;
    }
    fetchCorpora(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest, o);
    return 0;
  } catch (err) {
    console.error(`corpus: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
