// The Git poll loop: one sync of every source at a time, every drift.interval. The first load
// triggers a full analysis; later syncs analyse what changed. The watches hear of it too: what was
// listed before Git first loaded and Git does not name goes light, and versions Git names that no
// watch reads yet get their watches.
import type { Scheduler } from './analysis/scheduler.ts';
import type { Sources } from './git/sources.ts';
import type { ClusterWatch } from './kube/cluster-watch.ts';
import type { Logger } from './log.ts';

export interface GitLoopDeps {
  sources: Pick<Sources, 'sync'>;
  watch: Pick<ClusterWatch, 'compact' | 'watchGitVersions'>;
  scheduler: Pick<Scheduler, 'triggerAnalysis' | 'analyzeObjects'>;
  log: Logger;
}

export class GitLoop {
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | null = null;
  private stopped = false;
  private markLoaded: () => void = () => undefined;
  /** The first load has been tried (loaded or failed): from then on only what Git names is held whole. */
  private triedOnce = false;
  /** The first full analysis has been asked for. */
  private analysedOnce = false;
  /** Resolves once Git has loaded (the first analysis waits for it). */
  readonly loaded = new Promise<void>((resolve) => {
    this.markLoaded = resolve;
  });

  constructor(private readonly deps: GitLoopDeps) {}

  get tried(): boolean {
    return this.triedOnce;
  }

  /** The first sync now (resolves when it is done), then one every `intervalMs`. */
  async start(intervalMs: number): Promise<void> {
    await this.sync();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.sync(), intervalMs);
  }

  /** Stops the timer and waits for the sync in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.syncing;
  }

  /** One Git sync at a time; a call while one runs joins it. */
  sync(): Promise<void> {
    if (this.syncing || this.stopped) return this.syncing ?? Promise.resolve();
    this.syncing = this.syncOnce().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const { sources, watch, scheduler, log } = this.deps;
    const change = await sources.sync();
    if (!this.triedOnce) {
      this.triedOnce = true;
      // What was listed while Git loaded and Git does not name goes light now.
      watch.compact();
    }
    if (!change) return;
    // Versions Git names that no watch reads yet get theirs before the analysis waits for the watches.
    void watch.watchGitVersions();
    for (const d of change.newDuplicates)
      log.error({ event: 'git_parse_error', file: d.file, line: null }, d.message);
    this.markLoaded();
    // The first load is the first full analysis; a source that loads later (one added at runtime by
    // sources_from, or one whose first clone failed) names all its objects as touched.
    if (change.initial && !this.analysedOnce) {
      this.analysedOnce = true;
      scheduler.triggerAnalysis('git');
    } else if (change.touched.size > 0) scheduler.analyzeObjects(change.touched, 'git');
  }
}
