// Publishes this cluster's summary (tracked, active by severity, last analysis, agent version) to
// the store, for the agents of other clusters sharing the database (/api/v1/statistics `clusters`,
// `kubectl driftguard status --all-clusters`). Checked every second: while the agent's copy of its
// records is exact (Store.revision) it publishes within about a second of any write, counted from
// that copy without a database read (only the published counts: 100,000 records in about 1.3 ms, where
// the statistics' full recordTotals took 10-17 ms, 65-150 ms at load 10-16); otherwise (database.shared) every 30 s from a full read. Only
// the leader publishes: a follower's copy is not its cluster's current state.
import type { ClusterStatistics } from '../shared/types.ts';
import type { Logger } from './log.ts';
import { clusterSummary, summaryCounts } from './records/cluster-statistics.ts';
import type { Store } from './store/store.ts';

const CHECK_MS = 1000;
const UNTRACKED_EVERY_MS = 30_000;

export interface PublisherDeps {
  store: Store;
  cluster: string;
  version: string;
  leading: () => boolean;
  log: Logger;
}

export class ClusterPublisher {
  private lastRevision: number | null = null;
  private lastAt = 0;
  private lastText = '';
  private busy = false;

  constructor(private readonly deps: PublisherDeps) {}

  /** Starts checking; returns the stop function. */
  every(ms = CHECK_MS): () => void {
    const timer = setInterval(() => void this.tick(), ms);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Publishes when something changed (or is due); never throws (a failure is logged, retried next tick). */
  async tick(now = Date.now()): Promise<void> {
    const { store } = this.deps;
    if (this.busy || !store.saveClusterSummary || !this.deps.leading()) return;
    const revision = store.revision?.() ?? null;
    const due = revision === null ? now - this.lastAt >= UNTRACKED_EVERY_MS : revision !== this.lastRevision;
    if (!due) return;
    this.busy = true;
    try {
      const summary = await this.summary();
      const text = JSON.stringify(summary);
      if (text !== this.lastText) await store.saveClusterSummary(summary);
      this.lastText = text;
      this.lastRevision = revision;
      this.lastAt = now;
    } catch (err) {
      this.deps.log.warn(
        { event: 'store_write_failed', op: 'saveClusterSummary', err: (err as Error).message },
        'could not publish the cluster summary; retrying',
      );
    } finally {
      this.busy = false;
    }
  }

  private async summary(): Promise<ClusterStatistics> {
    const { store } = this.deps;
    const [records, last] = await Promise.all([store.allRecords(), store.lastAnalysis()]);
    return clusterSummary(this.deps.cluster, summaryCounts(records), last, this.deps.version);
  }
}
