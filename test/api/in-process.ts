// Serves the API and health apps in this process on loopback ports, over a given real store,
// with the stand-in control and a fresh metrics registry.
import {
  createApiApp,
  createHealthApp,
  startHttpServers,
  type ServerTimeouts,
} from '../../agent/api/index.ts';
import { AgentMetrics } from '../../agent/metrics.ts';
import type { Store } from '../../agent/store/store.ts';
import { TestControl } from './control.ts';
import type { ApiFixture } from './suite.ts';

export const TEST_LIMITS = { bodyLimitBytes: 1024, requestTimeoutMs: 5000 };

export interface ServeOptions {
  breakStore?: () => Promise<void>;
  cleanup?: () => Promise<void>;
  servesCachedRecords?: boolean;
  limits?: { bodyLimitBytes: number; requestTimeoutMs: number };
  timeouts?: ServerTimeouts;
}

export async function serveInProcess(store: Store, extra: ServeOptions = {}): Promise<ApiFixture> {
  const limits = extra.limits ?? TEST_LIMITS;
  const control = new TestControl();
  const metrics = new AgentMetrics();
  const servers = await startHttpServers({
    apiApp: createApiApp({ store, control, metrics, limits }),
    healthApp: createHealthApp({ control, metrics }),
    api: { port: 0, address: '127.0.0.1' },
    health: { port: 0, address: '127.0.0.1' },
    timeouts: extra.timeouts ?? { readMs: 10_000, writeMs: 10_000, idleMs: 5_000 },
  });
  return {
    apiUrl: servers.apiUrl,
    healthUrl: servers.healthUrl,
    store,
    control,
    metrics,
    bodyLimitBytes: limits.bodyLimitBytes,
    servesCachedRecords: extra.servesCachedRecords ?? false,
    ...(extra.breakStore ? { breakStore: extra.breakStore } : {}),
    close: async () => {
      await servers.close();
      await extra.cleanup?.();
    },
  };
}
