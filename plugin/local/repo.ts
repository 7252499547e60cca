// Where the desired state comes from: a local directory (a Git work tree or a plain directory),
// or a Git URL cloned shallowly into a temp dir that is removed afterwards. A local repository
// with --branch is cloned too, so the branch is read as committed, not as checked out.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CliError, oneLine } from '../errors.ts';

export interface CheckedOutRepo {
  dir: string;
  /** HEAD of the repository, when it is one. */
  commit: string | null;
  cleanup(): void;
}

/** URLs git understands: scheme://… or scp-like user@host:path. */
export function isRepoUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\s]+@[^/\s:]+:/.test(repo);
}

const execGit = promisify(execFile);

/**
 * HEAD of the work tree `dir` is in, in one git start (simple-git took two, checkIsRepo then revparse,
 * and each counts in a command this short). Null outside a work tree (a bare repository included)
 * and in a repository without commits, where rev-parse fails.
 */
async function headCommit(dir: string): Promise<string | null> {
  try {
    const { stdout } = await execGit('git', ['rev-parse', '--is-inside-work-tree', 'HEAD'], { cwd: dir });
    const [inside, head] = stdout.trim().split('\n');
    return inside === 'true' && head && /^[0-9a-f]+$/.test(head) ? head : null;
  } catch {
    return null;
  }
}

async function cloneInto(source: string, branch: string | undefined): Promise<CheckedOutRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-repo-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const args = ['--depth', '1', ...(branch ? ['--branch', branch] : [])];
    // file:// so a local path clones shallowly like a remote one.
    const url = isRepoUrl(source) ? source : `file://${resolve(source)}`;
    // Loaded here: only a clone needs simple-git, and the bundle evaluates what it imports at start.
    const { simpleGit } = await import('simple-git');
    await simpleGit().clone(url, dir, args);
    return { dir, commit: await headCommit(dir), cleanup };
  } catch (err) {
    cleanup();
    throw new CliError(`cannot clone ${source}${branch ? ` (branch ${branch})` : ''}: ${gitReason(err)}`);
  }
}

/**
 * Git's own words for a failure: its `fatal:` line (git prints "Cloning into…" and warnings
 * first, so the first line says nothing), else its `error:` line, else the first line.
 */
export function gitReason(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').map((l) => l.trim());
  return (
    lines.find((l) => l.startsWith('fatal:')) ?? lines.find((l) => l.startsWith('error:')) ?? oneLine(err)
  );
}

export async function checkoutRepo(repo: string, branch?: string): Promise<CheckedOutRepo> {
  if (isRepoUrl(repo)) return cloneInto(repo, branch);
  const dir = resolve(repo);
  if (!existsSync(dir)) throw new CliError(`--repo ${repo}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new CliError(`--repo ${repo}: not a directory`);
  if (branch) {
    if ((await headCommit(dir)) === null)
      throw new CliError(`--branch needs a Git repository, and ${repo} is not one`);
    return cloneInto(dir, branch);
  }
  return { dir, commit: await headCommit(dir), cleanup: () => undefined };
}
