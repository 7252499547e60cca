// The two revisions a preview compares, as directories: a commit is extracted with `git archive`
// into a temp dir (the user's checkout and its worktrees stay untouched); the head defaults to the
// working tree itself, the base to the merge-base of HEAD with the default branch.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CliError, oneLine } from '../errors.ts';

const run = promisify(execFile);

async function git(dir: string, args: string[]): Promise<string> {
  try {
    return (await run('git', args, { cwd: dir, maxBuffer: 16 << 20 })).stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string };
    throw new CliError(
      `git ${args.join(' ')}: ${oneLine(e.stderr?.trim() ? e.stderr : err).replace(/^fatal:\s*/, '')}`,
    );
  }
}

export interface Revision {
  /** What the user sees: the ref as given and its short commit, or "working tree". */
  label: string;
  dir: string;
  commit: string | null;
  cleanup(): void;
}

/** origin/HEAD's branch, else main or master, whichever exists. */
async function defaultBranch(repo: string): Promise<string> {
  try {
    return await git(repo, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  } catch {
    for (const b of ['main', 'master', 'origin/main', 'origin/master']) {
      try {
        await git(repo, ['rev-parse', '--verify', '--quiet', `${b}^{commit}`]);
        return b;
      } catch {
        // try the next one
      }
    }
  }
  throw new CliError('cannot tell the default branch (no origin/HEAD, main or master): pass --base REF');
}

export async function defaultBase(repo: string): Promise<string> {
  const branch = await defaultBranch(repo);
  return git(repo, ['merge-base', 'HEAD', branch]);
}

/** `ref` of `repo` extracted into a temp dir. */
export async function extract(repo: string, ref: string): Promise<Revision> {
  const commit = await git(repo, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-preview-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const archive = spawn('git', ['archive', '--format=tar', commit], {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      archive.stderr.on('data', (c: Buffer) => (err += c.toString()));
      tar.stderr.on('data', (c: Buffer) => (err += c.toString()));
      archive.stdout.pipe(tar.stdin);
      archive.on('error', reject);
      tar.on('error', reject);
      tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err || `tar exited ${code}`))));
    });
  } catch (e) {
    cleanup();
    throw new CliError(`cannot extract ${ref}: ${oneLine(e)}`);
  }
  return {
    label: `${ref === commit ? commit.slice(0, 12) : `${ref} (${commit.slice(0, 12)})`}`,
    dir,
    commit,
    cleanup,
  };
}

export function workingTree(repo: string): Revision {
  return { label: 'working tree', dir: repo, commit: null, cleanup: () => undefined };
}
