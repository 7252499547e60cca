// Helm releases as a source, without Git: the desired state of each release is the manifest Helm
// stored for its current (deployed) revision; hooks are kept apart by Helm and never compared.
// Each sync lists the revisions by their labels and reads only a release whose current revision
// moved (an upgrade, a rollback, an uninstall), so drift is always against what Helm last deployed.
// Records name the release as their source: helm/<namespace>/<release>. The agent only reads.
import type { KubeConfig } from '@kubernetes/client-node';
import { parseManifests, type DesiredObject, type KindScopes } from '../../shared/engine/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import { splitBySource } from '../../shared/node/render/helm.ts';
import { HELM_RELEASE_METADATA } from '../../shared/node/render/index.ts';
import type { DesiredSource, SourceEntry } from '../git/desired-source.ts';
import type { GitChange, GitStatus, SourceStatus } from '../git/git-source.ts';
import type { HelmReleaseSpec } from '../git/source-spec.ts';
import type { Logger } from '../log.ts';
import { decodeRelease } from './release-payload.ts';
import { currentRevisions, listRevisions, readPayload, type RevisionRef } from './release-store.ts';

interface Tracked {
  ref: RevisionRef;
  /** `revision <n>`: what the records carry as their commit. */
  revision: string;
  chart: string;
  objects: DesiredObject[];
  /** Why this revision could not be read or parsed (its objects are then the last good ones). */
  error: string | null;
}

const refKey = (r: RevisionRef): string => `${r.driver}/${r.object}@${r.resourceVersion}`;
export const releaseSourceName = (namespace: string, release: string): string =>
  `helm/${namespace}/${release}`;

export class HelmReleaseSource implements DesiredSource {
  readonly unstable = [];
  readonly notCompared = HELM_RELEASE_METADATA;
  private readonly releases = new Map<string, Tracked>();
  private lastError: string | null = null;
  private problems: string[] = [];
  private loaded = false;

  constructor(
    readonly spec: HelmReleaseSpec,
    private readonly kc: KubeConfig,
    private readonly log: Logger,
    private readonly scopes: () => KindScopes | undefined = () => undefined,
    /** Resolves once discovery has answered (or failed): the releases are parsed with its scopes. */
    private readonly factsReady: () => Promise<void> = () => Promise.resolve(),
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get commit(): string | null {
    return null;
  }

  origin(): string {
    return `helm releases ${this.spec.releases === 'all' ? 'all' : this.spec.releases.join(',')}`;
  }

  get desired(): DesiredSource['desired'] {
    const sorted = () => this.sorted();
    return {
      loaded: this.loaded,
      *entries(): Generator<[string, SourceEntry]> {
        for (const [key, t] of sorted())
          for (const d of t.objects) yield [d.id, { desired: d, commit: t.revision, source: `helm/${key}` }];
      },
    };
  }

  private sorted(): [string, Tracked][] {
    return [...this.releases].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  private wanted(key: string): boolean {
    return this.spec.releases === 'all' || this.spec.releases.includes(key);
  }

  /** The namespaces to list in: every one for `all`, else those the listed releases live in. */
  private namespaces(): string[] | null {
    if (this.spec.releases === 'all') return null;
    return [...new Set(this.spec.releases.map((r) => r.slice(0, r.indexOf('/'))))].sort();
  }

  async sync(): Promise<GitChange | null> {
    const initial = !this.loaded;
    await this.factsReady();
    try {
      const listed = await listRevisions(this.kc, this.namespaces());
      this.problems = listed.problems;
      const current = new Map([...currentRevisions(listed.revisions)].filter(([k]) => this.wanted(k)));
      const touched = new Set<string>();
      for (const [key, t] of this.releases)
        if (!current.has(key)) {
          for (const d of t.objects) touched.add(d.id);
          this.releases.delete(key);
          this.log.info(
            { event: 'helm_release_gone', source: this.name, release: key },
            `Helm release ${key} has no deployed revision any more; its objects are no longer desired`,
          );
        }
      for (const [key, ref] of current) {
        const seen = this.releases.get(key);
        if (seen && refKey(seen.ref) === refKey(ref)) continue;
        const next = await this.read(key, ref, seen);
        for (const d of [...(seen?.objects ?? []), ...next.objects]) touched.add(d.id);
        this.releases.set(key, next);
      }
      if (this.lastError !== null)
        this.log.info({ event: 'git_recovered', source: this.name }, 'Helm release storage readable again');
      this.lastError = null;
      this.loaded = true;
      if (!initial && touched.size === 0) return null;
      return { commit: '', touched, initial };
    } catch (err) {
      this.lastError = errorMessage(err).split('\n')[0] ?? '';
      this.log.error(
        { event: 'git_sync_failed', source: this.name, err: this.lastError },
        `cannot read Helm's releases for source ${this.name}; keeping the last desired state`,
      );
      return null;
    }
  }

  /** One release's current revision, decoded and parsed; a bad one keeps the previous objects. */
  private async read(key: string, ref: RevisionRef, seen: Tracked | undefined): Promise<Tracked> {
    const revision = `revision ${ref.version}`;
    const where = `${ref.driver} ${ref.namespace}/${ref.object}`;
    try {
      // The payload stays in this function: only the manifest's objects leave it.
      const release = decodeRelease(await readPayload(this.kc, ref), ref.driver, where);
      const scopes = this.scopes();
      // One file per template, named as Helm's `# Source:` comments name it (<chart>/templates/x.yaml).
      const files = splitBySource(release.manifest, '/', `/${release.chartName}`);
      const parsed = parseManifests(files, {
        defaultNamespace: ref.namespace,
        ...(scopes ? { scopes } : {}),
      });
      const error = parsed.errors[0] ? `${parsed.errors[0].file}: ${parsed.errors[0].message}` : null;
      if (error)
        this.log.error(
          { event: 'git_parse_error', source: releaseSourceName(ref.namespace, ref.release), revision },
          `Helm release ${key} ${revision}: ${error}`,
        );
      this.log.info(
        {
          event: 'helm_release_synced',
          source: releaseSourceName(ref.namespace, ref.release),
          revision: ref.version,
          chart: release.chart,
          objects: parsed.objects.length,
        },
        `Helm release ${key} at ${revision} (${release.chart}): ${parsed.objects.length} objects`,
      );
      return { ref, revision, chart: release.chart, objects: parsed.objects, error };
    } catch (err) {
      const error = errorMessage(err).split('\n')[0] ?? '';
      this.log.error(
        {
          event: 'git_parse_error',
          source: releaseSourceName(ref.namespace, ref.release),
          revision,
          err: error,
        },
        `Helm release ${key} ${revision} cannot be read; keeping its last desired state`,
      );
      return {
        ref,
        revision: seen?.revision ?? revision,
        chart: seen?.chart ?? '?',
        objects: seen?.objects ?? [],
        error,
      };
    }
  }

  status(): GitStatus {
    if (!this.loaded)
      return { ready: false, message: this.lastError ? `not loaded: ${this.lastError}` : 'not loaded yet' };
    const parts = [
      `helm releases: ${this.releases.size} (${[...this.releases]
        .map(([k, t]) => `${k} ${t.revision}`)
        .join(', ')})`,
    ];
    if (this.spec.releases !== 'all') {
      const missing = this.spec.releases.filter((r) => !this.releases.has(r));
      if (missing.length > 0) parts.push(`no deployed revision: ${missing.join(', ')}`);
    }
    for (const [k, t] of this.releases) if (t.error) parts.push(`${k}: ${t.error}`);
    parts.push(...this.problems);
    if (this.lastError) parts.push(`last sync failed: ${this.lastError}`);
    return { ready: true, message: parts.join('; ') };
  }

  sourceStatus(): SourceStatus {
    return {
      name: this.name,
      type: 'helm',
      tool: 'helm release storage',
      commit: null,
      objects: [...this.releases.values()].reduce((n, t) => n + t.objects.length, 0),
      skipped: 0,
      unstable: 0,
      render_failed: null,
    };
  }

  /** One statistics row per release (by namespace/release), named as its records are. */
  sourceStatuses(): SourceStatus[] {
    return this.sorted().map(([key, t]) => ({
      name: `helm/${key}`,
      type: 'helm',
      tool: `helm release ${t.chart}`,
      commit: t.revision,
      objects: t.objects.length,
      skipped: 0,
      unstable: 0,
      render_failed: t.error,
    }));
  }
}
