// Git repositories for tests: a working repo built from files (or the examples/ manifests), with
// commits made on demand, and its bare mirror reachable over file://.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' }).trim();
}

export interface TestRepo {
  /** The working repository (also usable as a local-path URL). */
  dir: string;
  branch: string;
  /** Writes files (path → content; null deletes), commits them and returns the new commit. */
  commit(files: Record<string, string | null>, message?: string): string;
  head(): string;
  /** A bare clone, updated by every later commit; `url` is file://. */
  bare(): { dir: string; url: string };
  remove(): void;
}

export function makeRepo(files: Record<string, string>, branch = 'main'): TestRepo {
  const root = mkdtempSync(join(tmpdir(), 'driftguard-git-'));
  const dir = join(root, 'work');
  mkdirSync(dir);
  git(dir, ['init', '-q', '-b', branch]);
  let bareDir: string | null = null;
  const commit = (changes: Record<string, string | null>, message = 'update'): string => {
    for (const [path, content] of Object.entries(changes)) {
      const full = join(dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', message]);
    if (bareDir) git(dir, ['push', '-q', bareDir, `${branch}:${branch}`]);
    return git(dir, ['rev-parse', 'HEAD']);
  };
  commit(files, 'initial manifests');
  return {
    dir,
    branch,
    commit,
    head: () => git(dir, ['rev-parse', 'HEAD']),
    bare: () => {
      if (!bareDir) {
        bareDir = join(root, 'repo.git');
        git(root, ['clone', '-q', '--bare', dir, bareDir]);
      }
      return { dir: bareDir, url: pathToFileURL(bareDir).href };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The examples/ manifests (path → content), or `fallback` when the folder is not there yet. */
export function exampleManifests(fallback: Record<string, string>): Record<string, string> {
  const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
  if (!existsSync(examples)) return fallback;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out[relative(examples, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(examples);
  return Object.keys(out).length > 0 ? out : fallback;
}
