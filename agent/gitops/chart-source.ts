// Desired state of a chart from a chart repository (sources_from: a Flux HelmRelease from a
// HelmRepository or OCIRepository, an Argo CD Application with `chart`): the version is resolved
// and the archive fetched through the dependency fetcher (verified, size-limited, cached by digest)
// from the one repository the object names, unpacked, and rendered by the real helm like any chart.
// A new chart version (or repository) is a new spec, hence a new source; a newer version matching
// a range is picked up when the index is asked again. A fetch or render that fails keeps the last
// good state and is said in /ready, never drift.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IgnoreRule, KindScopes } from '../../shared/engine/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import {
  render,
  RenderError,
  unpackChart,
  type AllowedRepository,
  type Credentials,
  type Skipped,
} from '../../shared/node/render/index.ts';
import type { Logger } from '../log.ts';
import { DesiredState } from '../git/desired-state.ts';
import type { DesiredSource } from '../git/desired-source.ts';
import type { GitChange, GitStatus, RenderDeps, SourceStatus } from '../git/git-source.ts';
import type { ChartPull, SourceSpec } from '../git/source-spec.ts';
import { safeUrl } from '../git/auth.ts';

/** Helm's own limit on an unpacked chart (MaxDecompressedChartSize). */
const MAX_UNPACKED_BYTES = 100 << 20;

export type ChartSpec = SourceSpec & { chart: ChartPull };

/** The credentials of a Secret, read when a fetch needs them. */
export type SecretCredentials = (url: string, namespace: string, name: string) => () => Promise<Credentials>;

export class ChartSource implements DesiredSource {
  readonly desired: DesiredState;
  unstable: IgnoreRule[] = [];
  notCompared: IgnoreRule[] = [];
  private readonly repository: AllowedRepository;
  /** `<chart>-<version>@sha256:<digest>` of what is rendered. */
  private current: string | null = null;
  private renderedKey: string | null = null;
  private failed: string | null = null;
  private tool: string | null = null;
  private skipped: Skipped[] = [];

  constructor(
    readonly spec: ChartSpec,
    private readonly workDir: string,
    private readonly log: Logger,
    private readonly deps: RenderDeps,
    credentials: SecretCredentials,
    private readonly scopes: () => KindScopes | undefined = () => undefined,
    private readonly factsReady: () => Promise<void> = () => Promise.resolve(),
  ) {
    const { chart } = spec;
    this.repository = {
      url: chart.repository,
      plain_http: chart.plain_http,
      access: chart.secret ? `secret ${chart.secret.namespace}/${chart.secret.name}` : 'anonymous',
      credentials: chart.secret
        ? credentials(chart.repository, chart.secret.namespace, chart.secret.name)
        : undefined,
    };
    this.desired = new DesiredState(spec.namespace, scopes);
  }

  get name(): string {
    return this.spec.name;
  }

  get commit(): string | null {
    return this.current;
  }

  origin(): string {
    return `${safeUrl(this.spec.chart.repository)} (chart ${this.spec.chart.name} ${this.spec.chart.version})`;
  }

  /** Fetch (or take from the cache), unpack, render; never throws. Null when nothing changed. */
  async sync(): Promise<GitChange | null> {
    const initial = !this.desired.loaded;
    const { chart } = this.spec;
    const fetcher = this.deps.dependencies;
    try {
      if (!fetcher) throw new RenderError('tool', 'no chart fetcher is set up');
      const warnings: string[] = [];
      const got = await fetcher.fetchChart(
        { name: chart.name, version: chart.version, repository: chart.repository },
        this.repository,
        warnings,
      );
      await this.factsReady();
      const cluster = await this.deps.cluster();
      const revision = `${chart.name}-${got.resolved}@sha256:${got.digest}`;
      const key = JSON.stringify([revision, cluster]);
      if (key === this.renderedKey) return null;
      const dir = this.unpacked(got.digest, got.file);
      const rendered = await render({
        repoDir: dir,
        path: chartDir(dir, chart.name),
        type: 'helm',
        namespace: this.spec.namespace,
        commit: revision,
        helm: this.spec.helm,
        network: false,
        cluster,
        scopes: this.scopes(),
        tools: await this.deps.tools(),
        cache: this.deps.cache,
        dependencies: fetcher,
        limits: this.deps.timeoutMs ? { timeoutMs: this.deps.timeoutMs } : undefined,
      });
      const outcome = this.desired.replaceAll(revision, rendered.objects, rendered.errors);
      this.renderedKey = key;
      this.current = revision;
      this.tool = rendered.tool;
      this.skipped = rendered.skipped;
      this.unstable = rendered.unstable;
      this.notCompared = rendered.notCompared;
      if (this.failed !== null)
        this.log.info({ event: 'render_recovered', source: this.name }, `source ${this.name} renders again`);
      this.failed = null;
      for (const w of [...warnings, ...rendered.warnings])
        this.log.warn(
          { event: 'render_warning', source: this.name, commit: revision },
          `source ${this.name}: ${w}`,
        );
      this.log.info(
        {
          event: 'source_rendered',
          source: this.name,
          type: 'helm',
          tool: rendered.tool,
          commit: revision,
          objects: rendered.objects.length,
          skipped: rendered.skipped.length,
          cached: got.cached,
        },
        `rendered source ${this.name} (chart ${chart.name} ${got.resolved} from ${safeUrl(chart.repository)}): ${rendered.objects.length} objects`,
      );
      return { commit: revision, touched: outcome.touched, initial };
    } catch (err) {
      // Every failure is tried again at the next sync: a repository back up, a Secret created.
      const why = err instanceof RenderError ? err.message : (errorMessage(err).split('\n')[0] ?? '');
      if (why !== this.failed)
        this.log.error(
          { event: 'render_failed', source: this.name, type: 'helm', err: why },
          `source ${this.name}: chart ${chart.name} ${chart.version} from ${safeUrl(chart.repository)} cannot be rendered; keeping its last good desired state: ${why}`,
        );
      this.failed = why;
      return null;
    }
  }

  /** The archive unpacked under the work dir by digest (older ones removed). */
  private unpacked(digest: string, file: string): string {
    const dir = join(this.workDir, digest);
    if (existsSync(join(dir, '.complete'))) return dir;
    mkdirSync(this.workDir, { recursive: true });
    for (const old of readdirSync(this.workDir))
      rmSync(join(this.workDir, old), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    unpackChart(readFileSync(file), dir, MAX_UNPACKED_BYTES, `chart archive ${this.spec.chart.name}`);
    mkdirSync(join(dir, '.complete'));
    return dir;
  }

  status(): GitStatus {
    const notes = this.spec.notes?.length ? `; not modelled: ${this.spec.notes.join('; ')}` : '';
    if (!this.desired.loaded)
      return { ready: false, message: `not loaded: ${this.failed ?? 'not fetched yet'}${notes}` };
    const parts = [`helm (${this.tool ?? '?'}): ${this.desired.size} objects from ${this.current ?? '?'}`];
    if (this.skipped.length > 0) parts.push(`${this.skipped.length} helm hook(s)/test(s) skipped`);
    if (this.failed) parts.push(`last fetch or render failed: ${this.failed}; last good state kept`);
    return { ready: true, message: parts.join('; ') + notes };
  }

  sourceStatus(): SourceStatus {
    return {
      name: this.name,
      type: this.desired.loaded ? 'helm' : null,
      tool: this.tool,
      commit: this.current,
      objects: this.desired.size,
      skipped: this.skipped.length,
      unstable: this.unstable.length,
      render_failed: this.failed,
    };
  }
}

/** The chart's directory in the archive: the one named after it, else the only one. */
function chartDir(root: string, name: string): string {
  const tops = readdirSync(root).filter((d) => d !== '.complete' && existsSync(join(root, d, 'Chart.yaml')));
  const pick = tops.includes(name) ? name : tops.length === 1 ? tops[0] : undefined;
  if (!pick) throw new RenderError('parse', `chart archive ${name} holds no chart directory ${name}/`);
  return pick;
}
