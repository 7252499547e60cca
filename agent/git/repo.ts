// The working clone: cloned once, then fetched; tells which files changed between commits.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { RepoSpec } from './source-spec.ts';
import { gitEnvironment, safeUrl } from './auth.ts';

export interface SyncResult {
  commit: string;
  previous: string | null;
  /** Paths (from the repo root) added or modified, or 'all' after a fresh clone. */
  changed: string[] | 'all';
  deleted: string[];
}

export class GitRepo {
  private head: string | null = null;

  constructor(
    private readonly config: RepoSpec,
    private readonly workDir: string,
  ) {}

  private git(timeoutMs: number, cwd?: string): SimpleGit {
    const { env, allow } = gitEnvironment(this.config.url, this.config.auth);
    // The two allowances cover variables this agent writes itself (the auth header through
    // GIT_CONFIG_*, an `ssh -i <key>` command); nothing from the URL or the caller's environment
    // passes through them, and every other simple-git check stays on for the user's URL.
    const unsafe = {
      allowUnsafeConfigEnvCount: 'GIT_CONFIG_COUNT' in env,
      allowUnsafeSshCommand: 'GIT_SSH_COMMAND' in env,
    };
    return simpleGit({
      baseDir: cwd ?? this.workDir,
      timeout: { block: timeoutMs },
      allowEnvironment: allow,
      unsafe,
    }).env(env);
  }

  get commit(): string | null {
    return this.head;
  }

  get dir(): string {
    return this.workDir;
  }

  /** `branch` may name a commit: then the checkout is pinned and never moves. */
  private get pinned(): boolean {
    return /^[0-9a-f]{7,40}$/i.test(this.config.branch);
  }

  /** Clones if needed, else fetches; moves the work tree to the branch's newest commit. */
  async sync(): Promise<SyncResult> {
    if (this.head === null) return this.cloneFresh();
    if (this.pinned) return { commit: this.head, previous: this.head, changed: [], deleted: [] };
    const git = this.git(this.config.pull_timeout);
    await git.fetch('origin', this.config.branch);
    const next = (await git.revparse(['FETCH_HEAD'])).trim();
    const previous = this.head;
    if (next === previous) return { commit: next, previous, changed: [], deleted: [] };
    const diff = await git.raw(['diff', '--name-status', '--no-renames', previous, next]);
    await git.raw(['reset', '--hard', next]);
    this.head = next;
    const changed: string[] = [];
    const deleted: string[] = [];
    for (const line of diff.split('\n')) {
      const [status, path] = line.split('\t');
      if (!status || !path) continue;
      (status.startsWith('D') ? deleted : changed).push(path);
    }
    return { commit: next, previous, changed, deleted };
  }

  /** A fresh clone each start: the old work dir may belong to another URL or hold local edits. */
  private async cloneFresh(): Promise<SyncResult> {
    rmSync(this.workDir, { recursive: true, force: true });
    mkdirSync(this.workDir, { recursive: true });
    const git = this.git(this.config.clone_timeout);
    if (this.pinned) {
      await git.clone(this.config.url, this.workDir, ['--no-checkout']);
      await git.raw(['checkout', '--detach', this.config.branch]);
    } else
      await git.clone(this.config.url, this.workDir, [
        '--branch',
        this.config.branch,
        '--single-branch',
        '--no-tags',
      ]);
    this.head = (await git.revparse(['HEAD'])).trim();
    return { commit: this.head, previous: null, changed: 'all', deleted: [] };
  }

  absolute(path: string): string {
    return join(this.workDir, path);
  }

  describe(): string {
    return `${safeUrl(this.config.url)}#${this.config.branch}${this.config.path ? `:${this.config.path}` : ''}`;
  }
}
