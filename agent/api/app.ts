// The REST API as a koa app. Middleware order matters: timing sees the final status, the error
// handler turns every failure (including timeouts and limits) into JSON, and the fallback turns
// "no route" into 404 and "route exists, other method" into 405, both as JSON.
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../log.ts';
import type { AgentControl } from './control.ts';
import type { AgentMetrics } from '../metrics.ts';
import type { Store } from '../store/store.ts';
import type { AuditReceiver } from '../audit/receiver.ts';
import { analysisRoutes } from './analyses.ts';
import { auditRoutes } from './audit.ts';
import type { WaiverBook } from '../waivers/book.ts';
import { waiverRoutes } from './waivers.ts';
import { errorResponses, routeFallbacks } from './errors.ts';
import { probeRoutes } from './health.ts';
import { declaredBodyLimit, requestTimeout, type RequestLimits } from './limits.ts';
import { recordRoutes } from './records.ts';
import { ruleRoutes } from './rules.ts';
import { statisticsRoutes } from './statistics.ts';
import { requestTiming } from './timing.ts';

export interface ApiDeps {
  store: Store;
  control: AgentControl;
  metrics: AgentMetrics;
  logger?: Logger;
  limits: RequestLimits;
  /** Audit events in (config audit.webhook); absent: POST /api/v1/audit answers 404. */
  audit?: AuditReceiver;
  /** Waivers (/api/v1/waivers); absent: those routes answer 503. */
  waivers?: WaiverBook;
}

export function createApiApp(deps: ApiDeps): Koa {
  const app = new Koa();
  // Errors are answered and logged by errorResponses; koa's default handler would print stacks.
  app.silent = true;
  const router = new Router();
  probeRoutes(router, deps.control);
  recordRoutes(router, deps.store, deps.control);
  statisticsRoutes(router, deps.store, deps.control);
  analysisRoutes(router, deps.control, deps.limits.bodyLimitBytes);
  auditRoutes(router, deps.audit, deps.limits.bodyLimitBytes);
  waiverRoutes(router, deps.waivers, deps.limits.bodyLimitBytes);
  ruleRoutes(router, deps.control);
  app.use(requestTiming(deps.metrics));
  app.use(errorResponses(deps.store, deps.logger));
  app.use(requestTimeout(deps.limits.requestTimeoutMs));
  app.use(declaredBodyLimit(deps.limits.bodyLimitBytes));
  app.use(routeFallbacks());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
