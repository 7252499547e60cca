// Desired state of one source: sync its clone; a plain directory re-reads only the files that
// changed (each keeps its last good version), a Kustomize or Helm source is rendered as a whole
// (through the render cache, so an unchanged commit never re-runs the tool). Git unreachable, a
// file that does not parse or a render that fails: the last good state stays, and status() says why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IgnoreRule, KindScopes } from '../../shared/engine/index.ts';
import { holdsFile, listSourceFiles } from '../../shared/node/source-files.ts';
import {
  hasOverlay,
  render,
  RenderCache,
  RenderError,
  resolveType,
  type ClusterInfo,
  type DependencyFetcher,
  type RenderedType,
  type Skipped,
  type Tools,
} from '../../shared/node/render/index.ts';
import { sourceRoot } from '../../shared/node/source-files.ts';
import type { Logger } from '../log.ts';
import { DesiredState, type FileUpdate } from './desired-state.ts';
import { safeUrl } from './auth.ts';
import { GitRepo } from './repo.ts';
import { contextKey, ParseCache, type CachedFile, type ParseContext } from './parse-cache.ts';
import type { SourceSpec } from './source-spec.ts';
import { TreeCache } from './tree-cache.ts';
import { errorMessage } from '../../shared/errors.ts';

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

/** What a source reports in /ready and /api/v1/statistics. */
export interface SourceStatus {
  name: string;
  type: RenderedType | null;
  tool: string | null;
  commit: string | null;
  objects: number;
  skipped: number;
  unstable: number;
  /** Why the newest commit did not render (its last good state is kept), or null. */
  render_failed: string | null;
}

/** What rendering needs from the agent: the tools, the shared cache, the cluster's Capabilities. */
export interface RenderDeps {
  tools: () => Promise<Tools>;
  cache: RenderCache;
  cluster: () => Promise<ClusterInfo | null>;
  timeoutMs?: number;
  /** Chart dependencies from render.helm.repositories (none configured: refused). */
  dependencies?: DependencyFetcher;
}

/**
 * The parse cache is written this long after the load that changed it: off the first analysis's
 * path, and once for a burst of commits.
 */
const CACHE_WRITE_DELAY_MS = 2000;

/** Files read between two yields to the event loop (one descriptor open at a time). */
const READ_SLICE = 64;

function firstLines(err: unknown, n = 3): string {
  return errorMessage(err)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, n)
    .join(' ');
}

export class GitSource {
  readonly desired: DesiredState;
  private readonly repo: GitRepo;
  private lastError: string | null = null;
  private renderFailed: string | null = null;
  private type: RenderedType | null = null;
  private tool: string | null = null;
  private skipped: Skipped[] = [];
  /** Fields that differ between two renders: ignored for this source's objects. */
  unstable: IgnoreRule[] = [];
  /** Fields the installer writes that the render cannot know (Helm's release metadata). */
  notCompared: IgnoreRule[] = [];
  private renderedKey: string | null = null;
  /** Parsed files by path and blob, kept in the clone's .git directory across restarts. */
  private readonly parseCache: ParseCache;
  /** The source's files at the last listed commit, for a restart on that commit. */
  private readonly treeCache: TreeCache;
  /** This sync's file list came from the tree cache (logged on git_synced). */
  private treeCached = false;
  /** The cache on disk is missing, damaged or behind the desired state: write it after the next load. */
  private cacheStale = false;
  private cacheTimer: NodeJS.Timeout | undefined;
  private pendingCache: (() => void) | null = null;
  /** The parse context (contextKey) of the last full load: every file held was parsed under it. */
  private loadedUnder: string | null = null;

  constructor(
    readonly spec: SourceSpec,
    workDir: string,
    private readonly log: Logger,
    private readonly renderDeps: RenderDeps | null = null,
    /** Kind scopes from discovery, so a cluster-scoped custom resource gets no namespace. */
    private readonly scopes: () => KindScopes | undefined = () => undefined,
    /**
     * Resolves once discovery has answered (or failed): the clone and the file reads run before,
     * overlapping discovery at start; the parse (or render), which needs the scopes, after.
     */
    private readonly factsReady: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.repo = new GitRepo(spec.git, workDir);
    this.parseCache = new ParseCache(join(workDir, '.git', 'driftguard', 'parsed.json'));
    this.treeCache = new TreeCache(join(workDir, '.git', 'driftguard', 'tree.json'));
    this.desired = new DesiredState(spec.namespace, scopes);
  }

  get name(): string {
    return this.spec.name;
  }

  get commit(): string | null {
    return this.repo.commit;
  }

  origin(): string {
    return safeUrl(this.spec.git.url);
  }

  /** One sync; never throws: failures are logged and the last good state stays. Null when nothing changed. */
  async sync(): Promise<GitChange | null> {
    const initial = !this.desired.loaded;
    const started = performance.now();
    try {
      const result = await this.repo.sync();
      const fetched = performance.now();
      const quiet = result.changed !== 'all' && result.changed.length === 0 && result.deleted.length === 0;
      // The same commit for a plain directory: nothing to list or read (the check below, made early).
      if (quiet && !initial && this.type === 'directory' && this.renderedKey === null) {
        this.recovered(result.commit);
        return null;
      }
      // A plain directory reads straight from git's objects; anything else needs the work tree.
      // A controller's transforms make even a plain directory a kustomize build.
      const transformed = hasOverlay(this.spec.overlay) || this.spec.substitute !== undefined;
      this.treeCached = false;
      const blobs =
        !transformed && (this.spec.type === 'auto' || this.spec.type === 'directory')
          ? this.repo.hasWorkTree
            ? null
            : await this.sourceBlobs(result.commit, initial)
          : null;
      if (blobs === null) await this.repo.checkout();
      const ready = this.factsReady();
      const resolved = blobs
        ? 'directory'
        : resolveType(this.spec.type, sourceRoot(this.repo.dir, this.spec.git.path));
      const type = transformed && resolved === 'directory' ? 'kustomize' : resolved;
      if (type !== 'directory') {
        await ready;
        const change = await this.syncRendered(result.commit, type, initial);
        this.recovered(result.commit);
        return change;
      }
      this.type = 'directory';
      this.tool = null;
      this.unstable = [];
      this.notCompared = [];
      this.skipped = [];
      if (
        result.changed !== 'all' &&
        result.changed.length === 0 &&
        result.deleted.length === 0 &&
        !initial &&
        this.renderedKey === null
      ) {
        this.recovered(result.commit);
        return null;
      }
      // A source that turned from rendered to plain re-reads everything.
      const full = result.changed === 'all' || this.renderedKey !== null;
      this.renderedKey = null;
      const paths = full
        ? blobs
          ? [...blobs.keys()]
          : listSourceFiles(this.repo.dir, this.spec.git.path)
        : (result.changed as string[]).filter((p) => holdsFile(this.spec.git.path, p));
      const listed = performance.now();
      // The cache's entries depend on the kind scopes: with blobs, discovery is waited for first.
      if (blobs) await ready;
      const waited = performance.now();
      const { updates, cached } = blobs
        ? await this.readBlobs(paths, blobs, full)
        : { updates: await this.read(paths), cached: 0 };
      const read = performance.now();
      await ready;
      const outcome = this.desired.apply(
        result.commit,
        updates,
        result.deleted.filter((p) => holdsFile(this.spec.git.path, p)),
      );
      if (full) for (const id of this.desired.retainOnly(new Set(paths))) outcome.touched.add(id);
      if (blobs && (cached < updates.length || result.deleted.length > 0 || this.cacheStale))
        this.saveParsed(blobs);
      for (const e of outcome.errors) {
        this.log.error(
          { event: 'git_parse_error', source: this.name, file: e.file, line: e.line, commit: result.commit },
          `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message} (keeping this file's last good objects)`,
        );
      }
      for (const file of outcome.recovered)
        this.log.info(
          { event: 'git_recovered', source: this.name, file, commit: result.commit },
          `${file} parses again`,
        );
      this.recovered(result.commit);
      const ms = (from: number, to: number) => Math.round(to - from);
      const done = performance.now();
      this.synced(result.commit, updates.length, cached, result.deleted.length, result.previous, {
        git: ms(started, fetched),
        list: ms(fetched, listed),
        facts: ms(listed, waited),
        read: ms(waited, read),
        parse: ms(read, done),
      });
      return { commit: result.commit, touched: outcome.touched, initial };
    } catch (err) {
      const message = firstLines(err);
      this.lastError = message;
      // A first load that failed on a clone kept from an earlier start (damaged objects, say):
      // the next attempt clones afresh.
      if (initial) this.repo.discard();
      this.log.error(
        { event: 'git_sync_failed', source: this.name, url: this.repo.describe(), err: message },
        `git sync failed for source ${this.name}; keeping the last good desired state${this.commit ? ` (${this.commit.slice(0, 12)})` : ''}`,
      );
      return null;
    }
  }

  /** Renders the source when its commit (or the cluster's Capabilities) changed; a failure keeps the last good set. */
  private async syncRendered(
    commit: string,
    type: RenderedType,
    initial: boolean,
  ): Promise<GitChange | null> {
    if (!this.renderDeps) throw new Error(`source ${this.name} is ${type}, and rendering is not set up`);
    const cluster = await this.renderDeps.cluster();
    const key = JSON.stringify([commit, type, cluster]);
    // Nothing changed since the last attempt (good or failed): no tool runs, no re-analysis.
    if (key === this.renderedKey) return null;
    this.renderedKey = key;
    try {
      const rendered = await render({
        repoDir: this.repo.dir,
        path: this.spec.git.path,
        type,
        namespace: this.spec.namespace,
        commit,
        kustomize: this.spec.kustomize,
        helm: this.spec.helm,
        network: this.spec.network,
        overlay: this.spec.overlay,
        substitute: this.spec.substitute,
        cluster,
        scopes: this.scopes(),
        tools: await this.renderDeps.tools(),
        cache: this.renderDeps.cache,
        dependencies: this.renderDeps.dependencies,
        limits: this.renderDeps.timeoutMs ? { timeoutMs: this.renderDeps.timeoutMs } : undefined,
      });
      const outcome = this.desired.replaceAll(commit, rendered.objects, rendered.errors);
      this.type = type;
      this.tool = rendered.tool;
      this.skipped = rendered.skipped;
      this.unstable = rendered.unstable;
      this.notCompared = rendered.notCompared;
      if (this.renderFailed !== null)
        this.log.info(
          { event: 'render_recovered', source: this.name, commit },
          `source ${this.name} renders again`,
        );
      this.renderFailed = null;
      if (rendered.unstable.length > 0)
        this.log.warn(
          {
            event: 'render_unstable',
            source: this.name,
            commit,
            fields: rendered.unstable.map((u) => `${u.kind}/${u.namespace}/${u.name} ${u.path}`),
          },
          `source ${this.name}: ${rendered.unstable.length} field(s) differ between two renders; treated as unstable, never drift`,
        );
      for (const w of rendered.warnings)
        this.log.warn({ event: 'render_warning', source: this.name, commit }, `source ${this.name}: ${w}`);
      for (const e of outcome.errors)
        this.log.error(
          { event: 'git_parse_error', source: this.name, file: e.file, line: e.line, commit },
          `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`,
        );
      this.log.info(
        {
          event: 'source_rendered',
          source: this.name,
          type,
          tool: rendered.tool,
          commit,
          objects: rendered.objects.length,
          skipped: rendered.skipped.length,
          unstable: rendered.unstable.length,
          cached: rendered.cached,
          duration_ms: Math.round(rendered.durationMs),
        },
        `rendered source ${this.name} (${type}) at ${commit.slice(0, 12)} with ${rendered.tool}: ${rendered.objects.length} objects${rendered.cached ? ' (cached)' : ''}`,
      );
      return { commit, touched: outcome.touched, initial };
    } catch (err) {
      this.type = type;
      const why = err instanceof RenderError ? err.message : firstLines(err);
      // A dependency that could not be fetched (repository down, Secret not there yet) is tried
      // again at the next sync; other failures wait for a new commit.
      if (err instanceof RenderError && err.stage === 'fetch') this.renderedKey = null;
      this.renderFailed = why;
      this.log.error(
        { event: 'render_failed', source: this.name, type, commit, err: why },
        `source ${this.name} does not render at ${commit.slice(0, 12)}; keeping its last good desired state: ${why}`,
      );
      return null;
    }
  }

  status(): GitStatus {
    if (!this.desired.loaded) {
      const why = this.renderFailed ?? this.lastError;
      const notes = this.spec.notes?.length ? `; not modelled: ${this.spec.notes.join('; ')}` : '';
      return { ready: false, message: `${why ? `not loaded: ${why}` : 'not loaded yet'}${notes}` };
    }
    const broken = this.desired.brokenFiles();
    const parts = [
      `${this.type ?? 'directory'}${this.tool ? ` (${this.tool})` : ''}: ${this.desired.size} objects at ${this.commit?.slice(0, 12) ?? '?'}`,
    ];
    if (this.skipped.length > 0) parts.push(`${this.skipped.length} helm hook(s)/test(s) skipped`);
    if (broken.length > 0)
      parts.push(
        `${broken.length} file(s) do not parse, last good objects kept: ${broken.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}`).join(', ')}`,
      );
    if (this.renderFailed) parts.push(`render_failed: ${this.renderFailed}; last good state kept`);
    if (this.lastError) parts.push(`last sync failed: ${this.lastError}`);
    if (this.spec.notes?.length) parts.push(`not modelled: ${this.spec.notes.join('; ')}`);
    return { ready: true, message: parts.join('; ') };
  }

  sourceStatus(): SourceStatus {
    return {
      name: this.name,
      type: this.type,
      tool: this.tool,
      commit: this.commit,
      objects: this.desired.size,
      skipped: this.skipped.length,
      unstable: this.unstable.length,
      render_failed: this.renderFailed,
    };
  }

  private synced(
    commit: string,
    files: number,
    /** Of `files`, how many came parsed from the cache (same path and blob). */
    cached: number,
    deleted: number,
    previous: string | null,
    /**
     * Where the sync's time went: clone or fetch, listing, reading, waiting for discovery's facts
     * (at start), parsing into the desired state.
     */
    phases: Record<'git' | 'list' | 'read' | 'facts' | 'parse', number>,
  ): void {
    this.log.info(
      {
        event: 'git_synced',
        source: this.name,
        commit,
        previous,
        files,
        cached,
        deleted,
        tree_cached: this.treeCached,
        objects: this.desired.size,
        duration_ms: Object.values(phases).reduce((a, b) => a + b, 0),
        phases_ms: phases,
      },
      `synced ${this.repo.describe()} at ${commit.slice(0, 12)}`,
    );
  }

  private recovered(commit: string): void {
    if (this.lastError === null) return;
    this.lastError = null;
    this.log.info({ event: 'git_recovered', source: this.name, commit }, 'git reachable again');
  }

  /**
   * The paths' contents from git's objects; a path not in the tree (deleted, not a file) is left
   * out. On a full load a path whose blob the parse cache knows comes parsed from there instead.
   */
  private async readBlobs(
    paths: string[],
    blobs: Map<string, string>,
    full: boolean,
  ): Promise<{ updates: FileUpdate[]; cached: number }> {
    if (full) this.loadedUnder = contextKey(this.parseContext());
    const known = full ? this.readParsed() : new Map<string, CachedFile>();
    const updates: FileUpdate[] = [];
    const toRead: string[] = [];
    for (const path of paths) {
      const blob = blobs.get(path);
      if (blob === undefined) continue;
      const hit = known.get(path);
      if (hit?.blob === blob) updates.push({ path, objects: hit.objects });
      else toRead.push(path);
    }
    const cached = updates.length;
    const contents = await this.repo.readBlobs(toRead.map((p) => blobs.get(p) ?? ''));
    toRead.forEach((path, i) => updates.push({ path, content: contents[i] ?? new Uint8Array() }));
    return { updates, cached };
  }

  /**
   * The source's files at HEAD (`commit`): on the first load from the tree cache when it was
   * written for this commit, else listed by git (and the list kept for the next start).
   */
  private async sourceBlobs(commit: string, initial: boolean): Promise<Map<string, string> | null> {
    const path = this.spec.git.path ?? '';
    const known = initial ? this.treeCache.read(commit, path) : null;
    this.treeCached = known !== null;
    if (known) return known;
    const blobs = await this.repo.sourceBlobs(this.spec.git.path);
    if (blobs)
      try {
        this.treeCache.write(commit, path, blobs);
      } catch (err) {
        this.log.warn(
          { event: 'git_cache_unwritable', source: this.name, err: errorMessage(err) },
          `source ${this.name}: file list not kept; the next start lists the tree again`,
        );
      }
    return blobs;
  }

  private parseContext(): ParseContext {
    return { namespace: this.spec.namespace, scopes: this.scopes() };
  }

  /** The parse cache's entries; a damaged cache is logged, ignored and rewritten after this load. */
  private readParsed(): Map<string, CachedFile> {
    const { entries, problem } = this.parseCache.read(this.parseContext());
    this.cacheStale = problem !== null || entries.size === 0;
    if (problem)
      this.log.warn(
        { event: 'git_cache_ignored', source: this.name, err: problem },
        `source ${this.name}: parse cache not used (${problem}); parsing every file`,
      );
    return entries;
  }

  /**
   * Writes what every file of the commit parses to, soon and once (a burst of syncs writes the
   * last): a file whose newest version does not parse is left out and parsed again next time.
   */
  private saveParsed(blobs: Map<string, string>): void {
    const ctx = this.parseContext();
    // The kind scopes changed since the full load: the files read before were parsed under the
    // old ones (nothing parses them again), so nothing is written. The file on disk, from that
    // load, holds only what the old scopes gave and is keyed by them.
    if (contextKey(ctx) !== this.loadedUnder) return;
    const entries: [string, CachedFile][] = [];
    for (const [path, objects] of this.desired.parsedFiles()) {
      const blob = blobs.get(path);
      if (blob !== undefined) entries.push([path, { blob, objects }]);
    }
    clearTimeout(this.cacheTimer);
    this.pendingCache = () => {
      this.pendingCache = null;
      try {
        this.parseCache.write(ctx, entries);
        this.cacheStale = false;
      } catch (err) {
        this.log.warn(
          { event: 'git_cache_unwritable', source: this.name, err: errorMessage(err) },
          `source ${this.name}: parse cache not written; the next start parses every file`,
        );
      }
    };
    this.cacheTimer = setTimeout(() => this.pendingCache?.(), CACHE_WRITE_DELAY_MS).unref();
  }

  /** Writes the parse cache now if a write is waiting (at stop; tests). */
  flushParseCache(): void {
    clearTimeout(this.cacheTimer);
    this.pendingCache?.();
  }

  /**
   * Reads synchronously in slices, yielding between them: the promise API's open/stat/read/close
   * hops cost ~6x the CPU (0.45 s against 0.08 s for 10,000 small files), and sync reads hold one
   * descriptor at a time (one readFile per path at once ran out of descriptors (EMFILE) on a
   * 100,000-file repository, and the next spawn of git failed the same way). A path that no longer
   * exists (deleted, or a dangling link) is left out.
   */
  private async read(paths: string[]): Promise<FileUpdate[]> {
    const updates: FileUpdate[] = [];
    for (let i = 0; i < paths.length; i += READ_SLICE) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const path of paths.slice(i, i + READ_SLICE)) {
        let content: Buffer;
        try {
          content = readFileSync(this.repo.absolute(path));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        updates.push({ path, content });
      }
    }
    return updates;
  }
}
