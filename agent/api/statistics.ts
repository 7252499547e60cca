// GET /api/v1/statistics: built in code from every record, the last day's transitions and the
// last analysis (the same computation on every backend; FerretDB has no rich aggregation).
// What the records and events decide is memoised per store revision (Store.revision: the agent's
// own exact copy, nothing being written), so between writes a call costs the trend alone; a
// shared database or a write in flight reads everything again. A memo made without writes for
// over a day keeps events older than the window: the trend still covers only the last 24 h, and
// the mean time to resolve then counts a few more resolved episodes (see buildStatistics).
import type Router from '@koa/router';
import type { DriftEvent, LastAnalysis } from '../../shared/types.ts';
import type { AgentControl } from './control.ts';
import { clusterSummary, withOwn } from '../records/cluster-statistics.ts';
import { recordTotals, statisticsAt, type RecordTotals } from '../records/statistics.ts';
import type { Store } from '../store/store.ts';
import { noParams } from './query.ts';

const TREND_WINDOW_MS = 24 * 60 * 60 * 1000;

interface Inputs {
  totals: RecordTotals;
  events: DriftEvent[];
  last: LastAnalysis | null;
}

async function readInputs(store: Store, now: Date): Promise<Inputs> {
  const since = new Date(now.getTime() - TREND_WINDOW_MS).toISOString();
  const [records, events, last] = await Promise.all([
    store.allRecords(),
    store.eventsSince(since),
    store.lastAnalysis(),
  ]);
  return { totals: recordTotals(records, events), events, last };
}

export function statisticsRoutes(router: Router, store: Store, control?: AgentControl): void {
  let memo: { revision: number; inputs: Promise<Inputs> } | undefined;
  router.get('/api/v1/statistics', async (ctx) => {
    noParams(ctx.querystring);
    const now = new Date();
    // Taken before the reads: a write during them changes it, so the next call reads again.
    const revision = store.revision?.() ?? null;
    let inputs: Promise<Inputs>;
    if (revision !== null && memo?.revision === revision) inputs = memo.inputs;
    else {
      inputs = readInputs(store, now);
      // Concurrent calls share one read; a failed read is not kept.
      if (revision !== null) {
        const entry = { revision, inputs };
        memo = entry;
        inputs.catch(() => {
          if (memo === entry) memo = undefined;
        });
      }
    }
    // What the other clusters' agents published (a few small documents, read every time: they
    // write at any moment); this cluster's own line is the figures of this answer.
    const [{ totals, events, last }, published] = await Promise.all([
      inputs,
      store.clusterSummaries?.() ?? [],
    ]);
    const cluster = control?.cluster?.();
    const own = cluster
      ? clusterSummary(cluster, totals.counts, last, control?.version().version ?? '0.0.0')
      : null;
    ctx.body = {
      statistics: {
        ...statisticsAt(totals, events, last, now.toISOString(), {}, control?.sources?.() ?? []),
        clusters: withOwn(published, own),
      },
    };
  });
}
