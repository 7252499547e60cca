// GET /api/v1/statistics: built in code from every record, the last day's transitions and the
// last analysis (the same computation on every backend; FerretDB has no rich aggregation).
import type Router from '@koa/router';
import type { Statistics } from '../../shared/types.ts';
import type { AgentControl } from '../analysis/control.ts';
import { buildStatistics } from '../records/statistics.ts';
import type { Store } from '../store/store.ts';
import { noParams } from './query.ts';

const TREND_WINDOW_MS = 24 * 60 * 60 * 1000;

export function statisticsRoutes(router: Router, store: Store, control?: AgentControl): void {
  router.get('/api/v1/statistics', async (ctx) => {
    noParams(ctx.querystring);
    const now = new Date();
    const since = new Date(now.getTime() - TREND_WINDOW_MS).toISOString();
    const [records, events, last] = await Promise.all([
      store.allRecords(),
      store.eventsSince(since),
      store.lastAnalysis(),
    ]);
    const statistics: Statistics = buildStatistics(
      records,
      events,
      last,
      now.toISOString(),
      {},
      control?.sources?.() ?? [],
    );
    ctx.body = { statistics };
  });
}
