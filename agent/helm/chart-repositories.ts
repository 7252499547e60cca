// render.helm.repositories, wired: the dependency fetcher the renderer uses, with each repository's
// credentials read from its Secret when a fetch needs them (never kept in the config, never logged).
// The agent does the fetching, so the sandboxed helm keeps no network and no cluster credentials.
import { dirname, join, resolve } from 'node:path';
import { RenderError } from '../../shared/node/render/errors.ts';
import { DependencyFetcher, type Credentials } from '../../shared/node/render/index.ts';
import { kubeGet } from '../../shared/node/kube/rest.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { loadKubeConfig } from '../kube/client.ts';
import { podNamespace } from '../leadership.ts';

type Kube = ReturnType<typeof loadKubeConfig>;

function decoded(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : null;
}

/** Reads `username` and `password` of the repository's Secret (when a fetch needs them). */
export function secretCredentials(
  kc: Kube,
  url: string,
  namespace: string,
  name: string,
): () => Promise<Credentials> {
  const where = `Secret ${namespace}/${name} (credentials of ${url})`;
  return async () => {
    const res = await kubeGet(
      kc,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
    ).catch((err: Error) => {
      throw new RenderError('fetch', `${where}: cannot read it: ${err.message.split('\n')[0]}`);
    });
    if (res.status !== 200)
      throw new RenderError(
        'fetch',
        res.status === 404
          ? `${where} does not exist`
          : `${where}: the API server answered ${res.status} (the agent needs get on it)`,
      );
    const data = ((res.body as { data?: unknown } | null)?.data ?? {}) as Record<string, unknown>;
    const username = decoded(data, 'username');
    const password = decoded(data, 'password');
    if (username === null || password === null)
      throw new RenderError('fetch', `${where} needs the keys username and password`);
    return { username, password };
  };
}

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
