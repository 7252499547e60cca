// The health/metrics listener: liveness, readiness and Prometheus metrics. It is served on its own
// port (0.0.0.0 in the manifests, for kubelet probes and scrapers) apart from the API (127.0.0.1).
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../log.ts';
import type { ComponentState, Readiness } from '../../shared/types.ts';
import type { AgentControl } from './control.ts';
import type { AgentMetrics } from '../metrics.ts';
import { errorResponses, routeFallbacks } from './errors.ts';
import { errorMessage } from '../../shared/errors.ts';

export interface HealthDeps {
  control: AgentControl;
  metrics: AgentMetrics;
  logger?: Logger;
}

/** The body of /ready (shared/api/shapes.ts). */
export type ReadyResponse = Readiness;

async function readiness(control: AgentControl): Promise<ReadyResponse> {
  let components: ComponentState[];
  try {
    components = await control.readiness();
  } catch (err) {
    const message = `readiness check failed: ${errorMessage(err)}`;
    return { status: 'not_ready', message, components: [] };
  }
  const failing = components.filter((c) => !c.ready);
  // A source whose newest commit does not render is still analysed from its last good state:
  // ready, but named.
  const renderFailed = components
    .filter((c) => c.ready && c.render_failed)
    .map((c) => `${c.name}: render_failed: ${c.render_failed} (last good state kept)`);
  // A component near a limit (memory near the container's) is still ready, but named.
  renderFailed.push(...components.filter((c) => c.ready && c.warning).map((c) => `${c.name}: ${c.warning}`));
  if (failing.length === 0)
    return {
      status: 'ready',
      message: ['All components ready', ...renderFailed].join('; '),
      components,
    };
  const message = [...failing.map((c) => `${c.name}: ${c.message}`), ...renderFailed].join('; ');
  return { status: 'not_ready', message, components };
}

/**
 * /health and /ready. Served on the health listener for probes, and on the API listener too, so a
 * client that reaches only the API (the plugin, through its port-forward) can ask the same.
 */
export function probeRoutes(router: Router, control: AgentControl): void {
  router.get('/health', (ctx) => {
    ctx.body = { status: 'healthy', message: 'Service is running' };
  });
  router.get('/ready', async (ctx) => {
    const ready = await readiness(control);
    ctx.status = ready.status === 'ready' ? 200 : 503;
    ctx.body = ready;
  });
}

export function createHealthApp(deps: HealthDeps): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  probeRoutes(router, deps.control);
  router.get('/metrics', async (ctx) => {
    deps.metrics.setWatched(deps.control.watchedCounts());
    deps.metrics.ready.set((await readiness(deps.control)).status === 'ready' ? 1 : 0);
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  app.use(errorResponses(undefined, deps.logger));
  app.use(routeFallbacks());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
