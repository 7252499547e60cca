// A dependency from an HTTP chart repository: its index.yaml (kept for indexTtlMs, and the last good
// copy answers while the repository is unreachable) names each version's archive URL and sha256.
import { parse } from 'yaml';
import { RenderError } from '../errors.ts';
import { highestMatch, type Constraint } from './constraint.ts';
import { boundedGet, httpFailure, safeUrl } from './download.ts';
import {
  normalizeRepoUrl,
  type AllowedRepository,
  type Credentials,
  type DependencyPolicy,
} from './repositories.ts';

export interface Resolved {
  version: string;
  /** Where the archive is. */
  url: string;
  /** sha256 hex of the archive. */
  digest: string;
  /** From the registry's manifest (OCI); unknown for an index entry. */
  size: number | null;
}

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

interface Index {
  at: number;
  entries: Record<string, IndexEntry[]>;
}

export class IndexCache {
  private readonly indexes = new Map<string, Index>();

  async entries(
    repo: AllowedRepository,
    creds: Credentials | null,
    policy: DependencyPolicy,
    warnings: string[],
  ): Promise<Record<string, IndexEntry[]>> {
    const base = normalizeRepoUrl(repo.url);
    // An index read with one set of credentials never answers another asker (see AllowedRepository.access).
    const cacheKey = JSON.stringify([base, repo.access ?? null]);
    const known = this.indexes.get(cacheKey);
    if (known && Date.now() - known.at < policy.indexTtlMs) return known.entries;
    const url = `${base}/index.yaml`;
    try {
      const got = await boundedGet({
        url,
        maxBytes: policy.maxIndexBytes,
        timeoutMs: policy.timeoutMs,
        credentials: creds,
        authOrigin: new URL(base).origin,
        what: `chart repository index ${safeUrl(url)}`,
      });
      if (got.status !== 200) throw httpFailure('chart repository index', url, got.status);
      const doc = parse(got.body.toString('utf8'), { maxAliasCount: 100 }) as { entries?: unknown } | null;
      if (!doc || typeof doc.entries !== 'object' || doc.entries === null)
        throw new RenderError('parse', `${safeUrl(url)} is not a chart repository index (no entries)`);
      const index = { at: Date.now(), entries: doc.entries as Record<string, IndexEntry[]> };
      this.indexes.set(cacheKey, index);
      return index.entries;
    } catch (err) {
      if (!known || (err instanceof RenderError && err.stage === 'safety')) throw err;
      warnings.push(
        `${(err as Error).message}; using its index fetched ${Math.round((Date.now() - known.at) / 1000)} s ago`,
      );
      return known.entries;
    }
  }
}

/** The newest version of `name` the constraint allows, with its archive URL and digest. */
export async function resolveFromIndex(
  repo: AllowedRepository,
  name: string,
  constraint: Constraint,
  creds: Credentials | null,
  policy: DependencyPolicy,
  cache: IndexCache,
  warnings: string[],
): Promise<Resolved> {
  const entries = await cache.entries(repo, creds, policy, warnings);
  const list = Array.isArray(entries[name]) ? entries[name] : [];
  const versions = list.map((e) => (typeof e.version === 'string' ? e.version : '')).filter((v) => v !== '');
  const version = highestMatch(constraint, versions);
  const where = safeUrl(repo.url);
  if (version === null)
    throw new RenderError(
      'fetch',
      list.length === 0
        ? `chart ${name} is not in the repository ${where}`
        : `no version of chart ${name} in ${where} matches ${constraint.text} (it has ${versions.slice(0, 10).join(', ')})`,
    );
  const entry = list.find((e) => e.version === version) ?? {};
  const first = Array.isArray(entry.urls)
    ? entry.urls.find((u): u is string => typeof u === 'string')
    : undefined;
  if (!first) throw new RenderError('parse', `${where}: chart ${name} ${version} names no archive URL`);
  if (typeof entry.digest !== 'string' || !/^(sha256:)?[0-9a-f]{64}$/.test(entry.digest))
    throw new RenderError(
      'safety',
      `${where}: chart ${name} ${version} has no sha256 digest in index.yaml; refusing an archive that cannot be verified`,
    );
  return {
    version,
    url: new URL(first, `${normalizeRepoUrl(repo.url)}/`).toString(),
    digest: entry.digest.replace(/^sha256:/, ''),
    size: null,
  };
}
