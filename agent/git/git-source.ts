// Desired state from Git: sync the clone, re-read only the files that changed, keep the last good
// state when Git is unreachable or a file does not parse, and say what changed.
import type { KindScopes } from '../../shared/engine/index.ts';
import { readFile } from 'node:fs/promises';
import type { GitConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { DesiredState, type FileUpdate } from './desired-state.ts';
import { GitRepo } from './repo.ts';

export interface GitChange {
  commit: string;
  /** Desired ids to re-analyse. */
  touched: Set<string>;
  /** True after the first load: analyse everything. */
  initial: boolean;
}

export interface GitStatus {
  ready: boolean;
  message: string;
}

export class GitSource {
  readonly desired: DesiredState;
  private readonly repo: GitRepo;
  private lastError: string | null = null;

  constructor(
    private readonly config: GitConfig,
    workDir: string,
    private readonly log: Logger,
    defaultNamespace = 'default',
    scopes: () => KindScopes | undefined = () => undefined,
  ) {
    this.repo = new GitRepo(config, workDir);
    this.desired = new DesiredState(defaultNamespace, scopes);
  }

  get commit(): string | null {
    return this.repo.commit;
  }

  /** One sync; never throws: failures are logged and the last good state stays. Null when nothing changed. */
  async sync(): Promise<GitChange | null> {
    const initial = !this.desired.loaded;
    try {
      const result = await this.repo.sync();
      if (
        result.changed !== 'all' &&
        result.changed.length === 0 &&
        result.deleted.length === 0 &&
        !initial
      ) {
        this.recovered(result.commit);
        return null;
      }
      const paths =
        result.changed === 'all'
          ? await this.repo.listFiles()
          : result.changed.filter((p) => this.repo.inScope(p));
      const updates = await this.read(paths.filter((p) => this.repo.exists(p)));
      const outcome = this.desired.apply(
        result.commit,
        updates,
        result.deleted.filter((p) => this.repo.inScope(p)),
      );
      if (result.changed === 'all')
        for (const id of this.desired.retainOnly(new Set(paths))) outcome.touched.add(id);
      for (const e of outcome.errors) {
        this.log.error(
          { event: 'git_parse_error', file: e.file, line: e.line, commit: result.commit },
          `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message} (keeping this file's last good objects)`,
        );
      }
      for (const file of outcome.recovered)
        this.log.info({ event: 'git_recovered', file, commit: result.commit }, `${file} parses again`);
      this.recovered(result.commit);
      this.log.info(
        {
          event: 'git_synced',
          commit: result.commit,
          previous: result.previous,
          files: updates.length,
          deleted: result.deleted.length,
          objects: this.desired.size,
        },
        `synced ${this.repo.describe()} at ${result.commit.slice(0, 12)}`,
      );
      return { commit: result.commit, touched: outcome.touched, initial };
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(0, 3)
        .join(' ');
      this.lastError = message;
      this.log.error(
        { event: 'git_sync_failed', url: this.repo.describe(), err: message },
        `git sync failed; keeping the last good desired state${this.commit ? ` (${this.commit.slice(0, 12)})` : ''}`,
      );
      return null;
    }
  }

  status(): GitStatus {
    if (!this.desired.loaded)
      return { ready: false, message: this.lastError ? `not loaded: ${this.lastError}` : 'not loaded yet' };
    const broken = this.desired.brokenFiles();
    const parts = [`${this.desired.size} objects at ${this.commit?.slice(0, 12) ?? '?'}`];
    if (broken.length > 0)
      parts.push(
        `${broken.length} file(s) do not parse, last good objects kept: ${broken.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}`).join(', ')}`,
      );
    if (this.lastError) parts.push(`last sync failed: ${this.lastError}`);
    return { ready: true, message: parts.join('; ') };
  }

  private recovered(commit: string): void {
    if (this.lastError === null) return;
    this.lastError = null;
    this.log.info({ event: 'git_recovered', commit }, 'git reachable again');
  }

  private async read(paths: string[]): Promise<FileUpdate[]> {
    return Promise.all(
      paths.map(async (path) => ({ path, content: await readFile(this.repo.absolute(path)) })),
    );
  }
}
