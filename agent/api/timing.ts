// Request duration by method, route pattern and status. The route label is the router's pattern
// (`/api/v1/drift-records/:resourceId`), never the raw path: raw paths would give every resource
// its own time series. Requests no route matched (404, 405) share the label `unmatched`.
import type { Middleware } from 'koa';
import type { AgentMetrics } from '../metrics.ts';

export const UNMATCHED_ROUTE = 'unmatched';

function routePattern(ctx: object): string {
  // Set by @koa/router on the context when a route's handler runs.
  const matched: unknown = Reflect.get(ctx, '_matchedRoute');
  return typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
}

export function requestTiming(metrics: AgentMetrics): Middleware {
  return async (ctx, next) => {
    const end = metrics.apiRequestDuration.startTimer();
    try {
      await next();
    } finally {
      end({ method: ctx.method, route: routePattern(ctx), status: String(ctx.status) });
    }
  };
}
