// The chart repositories a render may fetch dependencies from (config `render.helm.repositories`):
// an HTTP chart repository (index.yaml) or an OCI registry path. A dependency's `repository` must be
// one of them (by URL, or `@name` / `alias:name`); anything else stays refused.

export interface Credentials {
  username: string;
  password: string;
}

export interface AllowedRepository {
  /** `https://host/path` (an index.yaml under it) or `oci://host/path`. */
  url: string;
  /** For `@name` / `alias:name` in Chart.yaml. */
  name?: string | undefined;
  /** Asked at fetch time (the agent reads the Secret); null: anonymous. Never logged. */
  credentials?: (() => Promise<Credentials | null>) | undefined;
  /** Plain HTTP for an OCI registry (an http:// URL is plain already). */
  plain_http?: boolean | undefined;
  /**
   * Whose access this is (e.g. the Secret the credentials come from): resolved versions and indexes
   * are shared only between askers with the same URL and access, so one that cannot read a private
   * repository never gets its answers from another's cache.
   */
  access?: string | undefined;
}

export interface DependencyPolicy {
  repositories: AllowedRepository[];
  /** Where verified archives are kept, by digest. */
  cacheDir: string;
  /** One chart archive at most this many bytes. */
  maxChartBytes: number;
  /** One index.yaml (or registry answer) at most this many bytes. */
  maxIndexBytes: number;
  /** The whole cache at most this many bytes (the least recently used go first). */
  maxCacheBytes: number;
  /** How long a fetched index.yaml or tag list answers before it is asked again. */
  indexTtlMs: number;
  timeoutMs: number;
}

/** `https://h/p/` → `https://h/p`; scheme and host lower-cased. */
export function normalizeRepoUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(.*)$/i.exec(url.trim());
  if (!m) return url.trim().replace(/\/+$/, '');
  return `${m[1]?.toLowerCase()}://${m[2]?.toLowerCase()}${(m[3] ?? '').replace(/\/+$/, '')}`;
}

/** The allowed repository a dependency's `repository:` names, or null. */
export function allowedFor(repository: string, allowed: AllowedRepository[]): AllowedRepository | null {
  const alias = repository.startsWith('@')
    ? repository.slice(1)
    : repository.startsWith('alias:')
      ? repository.slice('alias:'.length)
      : null;
  if (alias !== null) return allowed.find((r) => r.name === alias) ?? null;
  const want = normalizeRepoUrl(repository);
  return allowed.find((r) => normalizeRepoUrl(r.url) === want) ?? null;
}

/** Is `url` (an archive an index names) under one of the allowed repositories? */
export function underAllowed(url: string, allowed: AllowedRepository[]): AllowedRepository | null {
  const u = normalizeRepoUrl(url);
  return allowed.find((r) => u.startsWith(`${normalizeRepoUrl(r.url)}/`)) ?? null;
}

export function isRemote(repository: string): boolean {
  return (
    /^(https?|oci):\/\//i.test(repository) || repository.startsWith('@') || repository.startsWith('alias:')
  );
}
