// The agent's HTTP surface, for the runtime to wire: the REST API app, the health/metrics app,
// and the two listeners that serve them.
export { createApiApp, type ApiDeps } from './app.ts';
export { createHealthApp, type HealthDeps, type ReadyResponse } from './health.ts';
export {
  startHttpServers,
  type HttpServers,
  type HttpServersOptions,
  type Listen,
  type ServerTimeouts,
} from './server.ts';
export type { RequestLimits } from './limits.ts';
