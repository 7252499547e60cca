// The working clone: cloned once, then fetched; tells which files changed between commits. A
// restart takes up the clone the last start left in the work dir when it is this URL's (reuse). It is
// cloned without a work tree: writing 10,000 files out and reading them back was most of a cold
// load (0.4-3 s of system time for the bench's repository, against ~0.1 s to read the blobs
// straight from git), so a plain directory source reads its files from git's objects, and the work
// tree is checked out only when a source needs real files (a render, a symlink) and kept from then on.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { RepoSpec } from './source-spec.ts';
import { gitEnvironment, safeUrl } from './auth.ts';
import { holdsFile, normalizeSourcePath } from '../../shared/node/source-files.ts';

/** Names at a source root that may make it a Kustomize or Helm source: those need the real tree. */
const MAY_RENDER = /^(?:kustomization(?:\.ya?ml)?|chart\.ya?ml)$/i;

export interface SyncResult {
  commit: string;
  previous: string | null;
  /** Paths (from the repo root) added or modified, or 'all' after a fresh clone. */
  changed: string[] | 'all';
  deleted: string[];
}

export class GitRepo {
  private head: string | null = null;
  /** True once the work tree is checked out (it then follows every new commit). */
  private checkedOut = false;
  /** The first sync may take up the clone a previous start left (reuse); never after a failed load. */
  private mayReuse = true;
  /** The work tree is a kept clone's: clean it of untracked files when it is checked out. */
  private dirtyTree = false;

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
    if (this.head === null) {
      const kept = this.mayReuse ? await this.reuse() : null;
      this.mayReuse = false;
      return kept ?? this.cloneFresh();
    }
    if (this.pinned) return { commit: this.head, previous: this.head, changed: [], deleted: [] };
    const git = this.git(this.config.pull_timeout);
    await git.fetch('origin', this.config.branch);
    const next = (await git.revparse(['FETCH_HEAD'])).trim();
    const previous = this.head;
    if (next === previous) return { commit: next, previous, changed: [], deleted: [] };
    const diff = await git.raw(['diff', '--name-status', '--no-renames', previous, next]);
    await git.raw(['reset', this.checkedOut ? '--hard' : '--soft', next]);
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

  /**
   * The clone a previous start left in the work dir, brought to the branch's newest commit, or null
   * when it is not there or not ours: no .git of its own (a dir inside some other repository),
   * another origin URL, a pinned commit it does not hold, or any git command failing on it. Its
   * work tree is not trusted (local edits, stray files): it is reset and cleaned before any use.
   */
  private async reuse(): Promise<SyncResult | null> {
    if (!existsSync(join(this.workDir, '.git'))) return null;
    try {
      const git = this.git(this.config.pull_timeout);
      const top = (await git.revparse(['--show-toplevel'])).trim();
      if (realpathSync(top) !== realpathSync(this.workDir)) return null;
      const origin = (await git.raw(['config', '--get', 'remote.origin.url'])).trim();
      if (origin !== this.config.url) return null;
      let next: string;
      if (this.pinned) {
        next = (await git.revparse(['--verify', `${this.config.branch}^{commit}`])).trim();
        await git.raw(['checkout', '--force', '--detach', next]);
        await git.raw(['clean', '-ffdxq']);
        this.checkedOut = true;
      } else {
        await git.fetch('origin', this.config.branch);
        next = (await git.revparse(['FETCH_HEAD'])).trim();
        await git.raw(['reset', '--soft', next]);
        this.checkedOut = false;
        this.dirtyTree = true;
      }
      this.head = next;
      return { commit: next, previous: null, changed: 'all', deleted: [] };
    } catch {
      // Damaged, half-written or locked: a fresh clone replaces it.
      return null;
    }
  }

  /** Forgets the clone: the next sync clones afresh (after a first load that failed on a kept clone). */
  discard(): void {
    this.head = null;
    this.checkedOut = false;
  }

  /** A fresh clone: the old work dir may belong to another URL or hold local edits. */
  private async cloneFresh(): Promise<SyncResult> {
    rmSync(this.workDir, { recursive: true, force: true });
    this.dirtyTree = false;
    mkdirSync(this.workDir, { recursive: true });
    const git = this.git(this.config.clone_timeout);
    if (this.pinned) {
      await git.clone(this.config.url, this.workDir, ['--no-checkout']);
      await git.raw(['checkout', '--detach', this.config.branch]);
      this.checkedOut = true;
    } else {
      // HEAD (Argo CD's default targetRevision): the remote's default branch.
      const branch = this.config.branch === 'HEAD' ? [] : ['--branch', this.config.branch];
      await git.clone(this.config.url, this.workDir, [
        ...branch,
        '--single-branch',
        '--no-tags',
        '--no-checkout',
      ]);
      this.checkedOut = false;
    }
    this.head = (await git.revparse(['HEAD'])).trim();
    return { commit: this.head, previous: null, changed: 'all', deleted: [] };
  }

  /** Checks the work tree out at the current commit, once; later syncs keep it there. */
  async checkout(): Promise<void> {
    if (this.checkedOut) return;
    const git = this.git(this.config.clone_timeout);
    await git.raw(['reset', '--hard', 'HEAD']);
    // A kept clone's tree may hold files no commit has (left by a user or an older agent).
    if (this.dirtyTree) await git.raw(['clean', '-ffdxq']);
    this.dirtyTree = false;
    this.checkedOut = true;
  }

  get hasWorkTree(): boolean {
    return this.checkedOut;
  }

  /**
   * The manifest files a plain source at `sourcePath` holds at the current commit (path → blob id,
   * by the same rule as listSourceFiles), or null when only a work tree can answer: a symlink or a
   * possible kustomization or chart under the path, a path that climbs out (..), or nothing there.
   */
  async sourceBlobs(sourcePath: string | undefined): Promise<Map<string, string> | null> {
    const prefix = normalizeSourcePath(sourcePath);
    if (prefix.split('/').includes('..')) return null;
    const out = await this.git(this.config.pull_timeout).raw([
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      'HEAD',
      ...(prefix ? ['--', prefix] : []),
    ]);
    const blobs = new Map<string, string>();
    let any = false;
    for (const entry of out.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, id] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) continue;
      any = true;
      if (mode === '120000') return null;
      const rest = prefix === '' || path === prefix ? path : path.slice(prefix.length + 1);
      if (!rest.includes('/') && MAY_RENDER.test(rest)) return null;
      if (type === 'blob' && id && holdsFile(prefix, path)) blobs.set(path, id);
    }
    return any ? blobs : null;
  }

  /** Contents of blobs by id, in order, through one `git cat-file --batch`. */
  readBlobs(ids: string[]): Promise<Buffer[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], {
        cwd: this.workDir,
        env: gitEnvironment(this.config.url, this.config.auth).env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Like every other git command here: one that hangs is killed, and the sync fails and is retried.
        timeout: this.config.pull_timeout,
      });
      // First, so that a spawn that fails (no descriptors left: no pipes either) rejects, not throws.
      child.on('error', reject);
      if (!child.stdout || !child.stderr || !child.stdin) return;
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code, signal) => {
        if (code !== 0) return reject(new Error(`git cat-file failed (${signal ?? code}): ${stderr.trim()}`));
        try {
          resolve(splitBatch(Buffer.concat(chunks), ids.length));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      child.stdin.on('error', reject);
      child.stdin.end(`${ids.join('\n')}\n`);
    });
  }

  absolute(path: string): string {
    return join(this.workDir, path);
  }

  describe(): string {
    return `${safeUrl(this.config.url)}#${this.config.branch}${this.config.path ? `:${this.config.path}` : ''}`;
  }
}

/** `<id> <type> <size>\n<content>\n` records of `git cat-file --batch`, `count` of them. */
function splitBatch(out: Buffer, count: number): Buffer[] {
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nl = out.indexOf(10, at);
    if (nl < 0) throw new Error('git cat-file: output ends early');
    const header = out.toString('utf8', at, nl).split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isInteger(size))
      throw new Error(`git cat-file: unexpected record ${header.join(' ')}`);
    blobs.push(out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}
