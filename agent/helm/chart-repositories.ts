// render.helm.repositories, wired: the dependency fetcher the renderer uses, with each repository's
// credentials read from its Secret when a fetch needs them (never kept in the config, never logged).
// The agent does the fetching, so the sandboxed helm keeps no network and no cluster credentials.
import { dirname, join, resolve } from 'node:path';
import { DependencyFetcher } from '../../shared/node/render/index.ts';
import { secretCredentials } from '../../shared/node/render/deps/secret-credentials.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { loadKubeConfig } from '../kube/client.ts';
import { podNamespace } from '../leadership.ts';

type Kube = ReturnType<typeof loadKubeConfig>;

/** The Secret reader, shared with the plugin's analyze --local. */
export { secretCredentials };

/** The fetcher for the configured repositories (with none, it still answers: every fetch is refused). */
export function dependencyFetcher(config: AgentConfig, kc: Kube): DependencyFetcher {
  const h = config.render.helm;
  const namespace = podNamespace(config) ?? config.leader_election.namespace ?? 'driftguard';
  return new DependencyFetcher({
    repositories: h.repositories.map((r) => ({
      url: r.url,
      name: r.name,
      plain_http: r.plain_http,
      credentials: r.secret
        ? secretCredentials(kc, r.url, r.secret_namespace ?? namespace, r.secret)
        : undefined,
    })),
    cacheDir: h.cache_dir
      ? resolve(h.cache_dir)
      : join(dirname(resolve(config.database.path)), 'helm-charts'),
    maxChartBytes: h.max_chart_size,
    maxIndexBytes: h.max_index_size,
    maxCacheBytes: h.cache_size,
    indexTtlMs: h.index_ttl,
    timeoutMs: config.render.timeout,
  });
}
