// `helm dependency build`, done by the agent rather than by the sandboxed helm: for each dependency
// of the chart that is not vendored in charts/, the repository must be in the allowed list; the
// version is resolved (Chart.lock first, else the newest match in the index or tag list), the
// archive comes from the digest cache or is downloaded within the size limit and its sha256 checked
// against what the repository published. The renderer then runs offline as before, with these
// archives copied into a copy of the chart's charts/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RenderError } from '../errors.ts';
import { ArchiveCache, sha256 } from './cache.ts';
import { ResolvedBook } from './resolved-book.ts';
import { parseConstraint } from './constraint.ts';
import { boundedGet, httpFailure, safeUrl } from './download.ts';
import { IndexCache, resolveFromIndex, type Resolved } from './http-repo.ts';
import { ociRef, Registry, resolveFromRegistry } from './oci.ts';
import {
  allowedFor,
  normalizeRepoUrl,
  isRemote,
  underAllowed,
  type AllowedRepository,
  type Credentials,
  type DependencyPolicy,
} from './repositories.ts';

export type { AllowedRepository, Credentials, DependencyPolicy } from './repositories.ts';

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
}

export interface FetchedDependency extends ChartDependency {
  /** The resolved version. */
  resolved: string;
  digest: string;
  /** The verified archive in the cache. */
  file: string;
  /** Came from the cache, not the network. */
  cached: boolean;
}

function readYaml(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : null;
  } catch (e) {
    throw new RenderError(
      'parse',
      `${file.split('/').slice(-1)[0]}: cannot parse: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

function depsOf(doc: Record<string, unknown> | null): ChartDependency[] {
  const list = Array.isArray(doc?.['dependencies']) ? (doc['dependencies'] as Record<string, unknown>[]) : [];
  return list
    .filter((d) => d && typeof d.name === 'string')
    .map((d) => ({
      name: String(d.name),
      version: typeof d.version === 'string' ? d.version : String(d.version ?? '*'),
      repository: typeof d.repository === 'string' ? d.repository : '',
    }));
}

/** Chart.yaml's dependencies (requirements.yaml for apiVersion v1), pinned by the lock file when it lists them. */
export function chartDependencies(chartDir: string): ChartDependency[] {
  const chart = readYaml(join(chartDir, 'Chart.yaml'));
  const declared =
    depsOf(chart).length > 0 ? depsOf(chart) : depsOf(readYaml(join(chartDir, 'requirements.yaml')));
  const lock = depsOf(
    readYaml(join(chartDir, 'Chart.lock')) ?? readYaml(join(chartDir, 'requirements.lock')),
  );
  return declared.map((d) => {
    const pinned = lock.find((l) => l.name === d.name && l.repository === d.repository);
    return pinned ? { ...d, version: pinned.version } : d;
  });
}

/** Vendored in charts/ (a directory or an archive of that name): helm reads it as it is. */
function vendored(chartDir: string, name: string): boolean {
  const dir = join(chartDir, 'charts');
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((f) => f === name || (f.startsWith(`${name}-`) && f.endsWith('.tgz')));
}

/** What a refusal says, so a user knows the two ways out. */
function notAllowed(d: ChartDependency): RenderError {
  return new RenderError(
    'safety',
    `Chart.yaml: dependency ${d.name} ${d.version} comes from ${d.repository.replace(/\/\/[^@/]*@/, '//')}, which is not in render.helm.repositories; refusing to fetch it (add the repository there, or vendor the chart in charts/)`,
  );
}

export class DependencyFetcher {
  private readonly indexes = new IndexCache();
  /** On disk beside the archives: a restart neither asks again within indexTtlMs nor loses the last answer. */
  private readonly resolutions: ResolvedBook;
  private readonly archives: ArchiveCache;

  constructor(readonly policy: DependencyPolicy) {
    this.archives = new ArchiveCache(policy.cacheDir, policy.maxCacheBytes);
    this.resolutions = new ResolvedBook(policy.cacheDir);
  }

  /** The remote dependencies a chart needs fetched; refuses one from a repository not allowed. */
  needed(chartDir: string): { dep: ChartDependency; repo: AllowedRepository }[] {
    const out: { dep: ChartDependency; repo: AllowedRepository }[] = [];
    for (const d of chartDependencies(chartDir)) {
      if (!isRemote(d.repository) || vendored(chartDir, d.name)) continue;
      const repo = allowedFor(d.repository, this.policy.repositories);
      if (!repo) throw notAllowed(d);
      out.push({ dep: d, repo });
    }
    return out;
  }

  async fetch(chartDir: string, warnings: string[]): Promise<FetchedDependency[]> {
    const out: FetchedDependency[] = [];
    for (const { dep, repo } of this.needed(chartDir))
      out.push(await this.one(dep, repo, warnings, this.policy.repositories));
    return out;
  }

  /**
   * A chart itself (not a dependency) from a repository the caller vouches for (the one a GitOps
   * object names, not render.helm.repositories): resolved, size-limited, verified and cached the
   * same way; an index may point only under that repository.
   */
  fetchChart(
    chart: ChartDependency,
    repo: AllowedRepository,
    warnings: string[],
  ): Promise<FetchedDependency> {
    return this.one(chart, repo, warnings, [repo]);
  }

  /**
   * Which version and archive a dependency means now: asked again after indexTtlMs; while its
   * repository cannot answer, the last answer stands (said in a warning), so a stopped repository
   * does not stop rendering what the cache holds.
   */
  private async resolve(
    dep: ChartDependency,
    repo: AllowedRepository,
    creds: () => Promise<Credentials | null>,
    warnings: string[],
  ): Promise<Resolved> {
    const constraint = parseConstraint(dep.version);
    if (!constraint)
      throw new RenderError(
        'parse',
        `Chart.yaml: dependency ${dep.name}: ${dep.version} is not a version constraint`,
      );
    const key = JSON.stringify([normalizeRepoUrl(repo.url), repo.access ?? null, dep.name, dep.version]);
    const known = this.resolutions.get(key);
    if (known && Date.now() - known.at < this.policy.indexTtlMs) return known.found;
    try {
      const found = isOci(repo)
        ? await resolveFromRegistry(repo, dep.name, constraint, await creds(), this.policy)
        : await resolveFromIndex(
            repo,
            dep.name,
            constraint,
            await creds(),
            this.policy,
            this.indexes,
            warnings,
          );
      this.resolutions.set(key, { at: Date.now(), found });
      return found;
    } catch (err) {
      if (!known || (err instanceof RenderError && err.stage === 'safety')) throw err;
      warnings.push(
        `${(err as Error).message}; using ${dep.name} ${known.found.version} as resolved ${Math.round((Date.now() - known.at) / 1000)} s ago`,
      );
      return known.found;
    }
  }

  private async one(
    dep: ChartDependency,
    repo: AllowedRepository,
    warnings: string[],
    allowed: AllowedRepository[],
  ): Promise<FetchedDependency> {
    // The Secret is read only when the network is needed.
    let asked: Promise<Credentials | null> | null = null;
    const creds = (): Promise<Credentials | null> =>
      (asked ??= repo.credentials ? repo.credentials() : Promise.resolve(null));
    const found = await this.resolve(dep, repo, creds, warnings);
    const label = `chart archive ${dep.name}-${found.version}.tgz from ${safeUrl(repo.url)}`;
    const hit = this.archives.get(found.digest);
    if (hit) return { ...dep, resolved: found.version, digest: found.digest, file: hit, cached: true };
    if (found.size !== null && found.size > this.policy.maxChartBytes)
      throw new RenderError(
        'safety',
        `${label} is ${found.size} bytes, over the ${this.policy.maxChartBytes}-byte limit (render.helm.max_chart_size); refusing to download it`,
      );
    const body = isOci(repo)
      ? await this.fromRegistry(repo, dep.name, found, creds, label)
      : await this.fromRepository(repo, found, creds, label, allowed);
    const digest = sha256(body);
    if (digest !== found.digest)
      throw new RenderError(
        'safety',
        `${label}: sha256 ${digest} differs from the published ${found.digest}; refusing it`,
      );
    const file = this.archives.put(digest, body);
    return { ...dep, resolved: found.version, digest, file, cached: false };
  }

  private async fromRegistry(
    repo: AllowedRepository,
    name: string,
    found: Resolved,
    creds: () => Promise<Credentials | null>,
    label: string,
  ): Promise<Buffer> {
    const registry = new Registry(ociRef(repo, name), await creds(), this.policy);
    const path = found.url.slice(found.url.indexOf('/v2/') + 4);
    return (await registry.get(path, label, this.policy.maxChartBytes)).body;
  }

  private async fromRepository(
    repo: AllowedRepository,
    found: Resolved,
    creds: () => Promise<Credentials | null>,
    label: string,
    allowed: AllowedRepository[],
  ): Promise<Buffer> {
    // An index may name archives elsewhere; only under an allowed repository (with its own credentials).
    const home = underAllowed(found.url, allowed);
    if (!home)
      throw new RenderError(
        'safety',
        `${label}: the index points at ${safeUrl(found.url)}, outside ${allowed === this.policy.repositories ? 'render.helm.repositories' : safeUrl(repo.url)}; refusing to download it`,
      );
    const got = await boundedGet({
      url: found.url,
      maxBytes: this.policy.maxChartBytes,
      timeoutMs: this.policy.timeoutMs,
      credentials: home === repo ? await creds() : home.credentials ? await home.credentials() : null,
      authOrigin: new URL(home.url).origin,
      what: label,
    });
    if (got.status !== 200) throw httpFailure(label, found.url, got.status);
    return got.body;
  }
}

const isOci = (repo: AllowedRepository): boolean => /^oci:\/\//i.test(repo.url);

/** Without a fetcher: a remote dependency not vendored is refused, with the way out. */
export function refuseRemoteDependencies(chartDir: string): void {
  for (const d of chartDependencies(chartDir))
    if (isRemote(d.repository) && !vendored(chartDir, d.name)) throw notAllowed(d);
}
