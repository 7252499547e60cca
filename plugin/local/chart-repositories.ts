// `analyze --local --config FILE`: a chart's dependencies fetched as the agent fetches them. FILE is
// the agent's config (as in its ConfigMap); only what fetching needs is read from it:
// render.helm.repositories, max_chart_size, max_index_size, cache_size, index_ttl and
// render.timeout (the agent validates the whole file when it loads it). The fetcher is the agent's
// own (shared/node/render/deps): only the listed repositories, size-limited, sha256-verified,
// cached by digest. The cache is the user's ($XDG_CACHE_HOME/driftguard/helm-charts: the config's
// cache_dir is a path inside the agent's pod). A repository's credentials come from the Secret it
// names, read with the user's kubeconfig when a fetch needs them.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { z } from 'zod';
import { secretCredentials } from '../../shared/node/render/deps/secret-credentials.ts';
import { DependencyFetcher } from '../../shared/node/render/index.ts';
import { parseDuration, parseSize } from '../../shared/units.ts';
import { CliError } from '../errors.ts';
import { userCacheDir } from './user-cache.ts';

// The agent's defaults (agent/config/schema.ts renderHelm) where the file leaves a limit out.
const MIB = 1024 * 1024;
const DEFAULTS = { chart: 10 * MIB, index: 64 * MIB, cache: 512 * MIB, ttl: 300_000, timeout: 90_000 };

const repository = z.object({
  url: z
    .string()
    .regex(/^(https?|oci):\/\/[^/\s]+/i, 'an http(s):// chart repository or an oci:// registry URL'),
  name: z.string().optional(),
  secret: z.string().optional(),
  secret_namespace: z.string().optional(),
  plain_http: z.boolean().optional(),
});

const config = z.object({
  render: z
    .object({
      // `helm: /path/to/helm` (the path shorthand) lists no repositories.
      helm: z
        .union([
          z.string(),
          z.object({
            repositories: z.array(repository).optional(),
            max_chart_size: z.unknown().optional(),
            max_index_size: z.unknown().optional(),
            cache_size: z.unknown().optional(),
            index_ttl: z.unknown().optional(),
          }),
        ])
        .optional(),
      timeout: z.unknown().optional(),
    })
    .optional(),
  leader_election: z.object({ namespace: z.string().optional() }).optional(),
});

type Config = z.output<typeof config>;

function readConfig(file: string): Config {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--config ${file}: cannot read it: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = config.safeParse(doc ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `--config ${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** A size or duration of the file, its default when absent, a clear error when not one. */
function limit(
  file: string,
  key: string,
  value: unknown,
  parser: (v: unknown) => number | null,
  fallback: number,
) {
  if (value === undefined) return fallback;
  const n = parser(value);
  if (n === null) throw new CliError(`--config ${file}: ${key}: ${JSON.stringify(value)} is not valid`);
  return n;
}

/** Where verified archives are kept on this machine. */
export function userChartCache(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir('helm-charts', env);
}

/** The fetcher for the repositories the agent's config at `file` lists (none: every fetch is refused). */
export function localDependencyFetcher(
  file: string,
  kc: KubeConfig,
  cacheDir = userChartCache(),
): DependencyFetcher {
  const c = readConfig(file);
  const helm = typeof c.render?.helm === 'object' ? c.render.helm : {};
  const namespace = c.leader_election?.namespace ?? 'driftguard';
  return new DependencyFetcher({
    repositories: (helm.repositories ?? []).map((r) => ({
      url: r.url,
      name: r.name,
      plain_http: r.plain_http ?? false,
      credentials: r.secret
        ? secretCredentials(kc, r.url, r.secret_namespace ?? namespace, r.secret)
        : undefined,
    })),
    cacheDir,
    maxChartBytes: limit(file, 'render.helm.max_chart_size', helm.max_chart_size, parseSize, DEFAULTS.chart),
    maxIndexBytes: limit(file, 'render.helm.max_index_size', helm.max_index_size, parseSize, DEFAULTS.index),
    maxCacheBytes: limit(file, 'render.helm.cache_size', helm.cache_size, parseSize, DEFAULTS.cache),
    indexTtlMs: limit(file, 'render.helm.index_ttl', helm.index_ttl, parseDuration, DEFAULTS.ttl),
    timeoutMs: limit(file, 'render.timeout', c.render?.timeout, parseDuration, DEFAULTS.timeout),
  });
}
