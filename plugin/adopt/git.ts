// The user's own Git, in their checkout: a new branch, a commit of exactly the adopted files, and a
// plain `git push` (their credentials, their remotes). Nothing here touches another branch.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CliError, oneLine } from '../errors.ts';

const run = promisify(execFile);

async function git(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: dir, maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string };
    const why = oneLine(e.stderr && e.stderr.trim() !== '' ? e.stderr : err).replace(/^fatal:\s*/, '');
    throw new CliError(`git ${args[0] ?? ''} failed: ${why}`);
  }
}

/** A branch name from the resource: driftguard/adopt-deployment-shop-web. */
export function defaultBranch(kind: string, namespace: string, name: string): string {
  const part = (s: string): string =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `driftguard/adopt-${[kind, namespace, name]
    .filter((s) => s !== '')
    .map(part)
    .join('-')}`;
}

export async function isWorkTree(dir: string): Promise<boolean> {
  try {
    return (await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir })).stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** Switch to a new branch, commit only `files` (repo-relative), and return the commit. */
export async function commitOnBranch(
  dir: string,
  branch: string,
  files: string[],
  message: string,
): Promise<string> {
  if (!(await isWorkTree(dir))) throw new CliError(`--commit needs a Git checkout, and ${dir} is not one`);
  await git(dir, ['check-ref-format', '--branch', branch]);
  await git(dir, ['switch', '-c', branch]);
  await git(dir, ['add', '--', ...files]);
  // With paths, commit takes only those files, whatever else the user has staged.
  await git(dir, ['commit', '-m', message, '--', ...files]);
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

/** `git push -u <remote> <branch>`: the branch's remote, else origin. */
export async function push(dir: string, branch: string): Promise<string> {
  const remotes = (await git(dir, ['remote'])).split('\n').filter((r) => r !== '');
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];
  if (!remote) throw new CliError('--push: the checkout has no remote to push to');
  await git(dir, ['push', '-u', remote, branch]);
  return remote;
}
