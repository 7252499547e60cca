// All the watches the config asks for: each resource type, cluster-wide (minus the system
// namespaces) or once per listed namespace, feeding the live views (version-views.ts). Resource
// types are resolved with the API server's discovery when the watches start (and retried while some
// cannot be); discovery's facts (scopes, CRD schemas) go to ClusterFacts; scopes the agent may not
// read are held by the RbacGate; what fails is a readiness message.
import type { KubeConfig } from '@kubernetes/client-node';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { unreadableMessages } from './unreadable-groups.ts';
import type { KubernetesConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { ClusterFacts } from './cluster-facts.ts';
import { KindWatch, type RelistReason } from './kind-watch.ts';
import { resolveKinds, type KindInfo } from './kinds.ts';
import type { LiveChange, LiveState } from './live-state.ts';
import type { LiveView } from './live-view.ts';
import type { Denied } from './permissions.ts';
import { RbacGate } from './rbac-gate.ts';
import { SyncWaiters } from './sync-waiters.ts';
import { VersionViews } from './version-views.ts';

/** What the agent counts of its watches (metrics). */
export interface WatchHooks {
  restarted?: (kind: string) => void;
  relisted?: (kind: string, reason: RelistReason) => void;
}

export interface ClusterWatchOptions {
  kc: KubeConfig;
  config: KubernetesConfig;
  log: Logger;
  /** Versions the desired objects use for a kind key (the watch reads that version). */
  gitVersions?: (key: string) => readonly string[];
  /** The facts discovery learns (default: its own); the agent shares them with Git and the engine. */
  facts?: ClusterFacts;
  /** Told of each watch restart (failure or silence) and each relist (metrics). */
  hooks?: WatchHooks;
  /** How often denied scopes are asked about again (a later RBAC grant starts their watch). */
  recheckMs?: number;
}

const RETRY_MS = 30_000;

export class ClusterWatch implements LiveView {
  readonly facts: ClusterFacts;
  private readonly views: VersionViews;
  private readonly gate: RbacGate;
  private readonly syncWaiters = new SyncWaiters(() => this.synced());
  private readonly kc: KubeConfig;
  private readonly config: KubernetesConfig;
  private readonly log: Logger;
  private readonly gitVersions: (key: string) => readonly string[];
  private readonly hooks: WatchHooks;
  private watches: KindWatch[] = [];
  private resolved = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** The Discovery prepare() learned the facts with, for the first discover() to reuse. */
  private prepared: Discovery | null = null;
  private problems: string[] = [];
  /** Group versions discovery could not read (an aggregated API that is down), for readiness. */
  private unreadable: string[] = [];
  /** Warnings about versions Git names that the server does not serve, logged once each. */
  private readonly warned = new Set<string>();
  private kinds: KindInfo[] = [];
  /** List tables being learned for the kinds just resolved (synced() waits for them). */
  private learningLists = 0;
  private readonly excluded: readonly string[];
  private readonly namespaces: readonly string[];

  /** The watched kind's key for an API group and resource (`apps`, `deployments` → `Deployment`). */
  kindKeyOf(group: string, resource: string): string | undefined {
    return this.kinds.find((k) => k.group === group && k.plural === resource)?.key;
  }

  constructor(options: ClusterWatchOptions) {
    this.kc = options.kc;
    this.config = options.config;
    this.log = options.log;
    this.gitVersions = options.gitVersions ?? (() => []);
    this.hooks = options.hooks ?? {};
    this.facts = options.facts ?? new ClusterFacts(this.kc, this.log, this.config.watchdog_timeout);
    this.excluded = this.config.exclude_system_namespaces ? this.config.system_namespaces : [];
    this.namespaces = this.config.namespaces.filter((ns) => !this.excluded.includes(ns));
    this.views = new VersionViews(async (state, entry) => {
      const watch = this.watches.find(
        (w) =>
          w.feeds(state) &&
          w.key === entry.kind &&
          (w.namespace === undefined || w.namespace === entry.namespace),
      );
      return watch ? watch.fetch(entry.namespace, entry.name) : null;
    });
    this.gate = new RbacGate(this.kc, this.log, options.recheckMs ?? RETRY_MS, async (granted) => {
      this.watches.push(...granted);
      await Promise.all(granted.map((w) => w.start()));
    });
    // A CRD created or changed: a resource type it serves may resolve now.
    this.facts.onChange(() => {
      if (this.problems.length > 0) void this.discover();
    });
  }

  /** Live objects in the version each kind is watched in (Git's, else the preferred one). */
  get state(): LiveState {
    return this.views.main;
  }

  /** Which ids every live view keeps whole (the objects Git names); the rest is a light index. */
  trackOnly(tracked: (id: string) => boolean): void {
    this.views.trackOnly(tracked);
  }

  /**
   * drift.unmanaged: report — untracked objects keep the fields the Unmanaged verdict reads (in the
   * main view only: the other versions' views hold objects Git names).
   */
  keepUnmanagedFacts(on: boolean): void {
    this.state.keepUnmanagedFacts(on);
  }

  /** What the Unmanaged verdict reads of a live object (see LiveState.unmanaged). */
  unmanaged(id: string): ReturnType<LiveState['unmanaged']> {
    return this.state.unmanaged(id);
  }

  /** Untracked objects the cluster did not make: the Unmanaged candidates of a full run. */
  unmanagedIds(): IterableIterator<string> {
    return this.state.unmanagedIds();
  }

  /** Reads whole, in every live view, the tracked objects among `ids` held light. */
  ensure(ids: Iterable<string>): Promise<number> {
    return this.views.ensure(ids);
  }

  /** Slims, in every live view, the objects Git no longer names. */
  compact(): number {
    return this.views.compact();
  }

  /** Changes from every watch, whatever version it reads. */
  onChange(listener: (change: LiveChange) => void): void {
    this.views.onChange(listener);
  }

  /** See LiveView.changeMark. */
  changeMark(): number {
    return this.views.changeMark();
  }

  /** The live object for a desired object: in the version Git names for it when that is watched. */
  get(id: string, apiVersion?: string): ReturnType<LiveState['get']> {
    return this.views.get(id, apiVersion);
  }

  /**
   * Discovery's facts for the engine (scopes, CRD schemas), before Git is first parsed; failures are
   * left for start() to report and retry.
   */
  async prepare(): Promise<void> {
    const discovery = new Discovery(this.kc);
    try {
      await this.facts.learn(discovery);
      // start() goes on with these answers instead of asking the server the same again.
      this.prepared = discovery;
    } catch {
      // start() asks again, reports and retries.
    }
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.discover();
  }

  /** Resolve the kinds not yet watched and start their watches; retried while some fail. */
  private async discover(): Promise<void> {
    if (this.stopped) return;
    const learned = this.prepared;
    this.prepared = null;
    const discovery = learned ?? new Discovery(this.kc);
    try {
      const served = await discovery.kinds();
      // A group that cannot be read is named (with the configured kinds in it), not fatal: the rest is watched.
      this.unreadable = unreadableMessages(discovery.unreadable(), this.config.resource_types);
      for (const u of this.unreadable) this.warnOnce(u);
      const r = resolveKinds(served, this.config.resource_types, this.gitVersions);
      for (const w of r.warnings) this.warnOnce(w);
      if (!learned) await this.facts.learn(discovery);
      const fresh = r.kinds.filter((k) => !this.kinds.some((w) => w.key === k.key));
      this.kinds.push(...fresh);
      // The list tables are the engine's, not the watches': read (OpenAPI documents of a few MB)
      // while the watches open instead of before, and synced() waits for them, so the first
      // analysis still compares lists by them.
      const lists = this.learnLists(this.kinds);
      // Awaited below; until then a failure must not count as unhandled.
      lists.catch(() => undefined);
      for (const info of fresh) this.addWatches(info);
      // Git may have loaded while discovery ran: the versions it names now, for every kind.
      const extra = this.versionWatches();
      this.drop(await this.gate.check(this.watches.filter((w) => fresh.some((f) => f.key === w.key))));
      this.drop(this.gate.hold(extra.filter((w) => this.watches.includes(w))));
      this.problems = r.problems;
      for (const p of r.problems) this.log.error({ event: 'resource_type_unresolved' }, p);
      this.resolved = true;
      await Promise.all([
        lists,
        ...this.watches
          .filter((w) => fresh.some((f) => f.key === w.key) || extra.includes(w))
          .map((w) => w.start()),
      ]);
    } catch (err) {
      this.problems = [`API discovery failed: ${(err as Error).message}`];
      this.log.error({ event: 'discovery_failed', err: (err as Error).message }, this.problems[0]);
    }
    if (this.problems.length > 0 || this.unreadable.length > 0 || this.facts.crdProblem) this.scheduleRetry();
    this.syncWaiters.check();
  }

  /** ClusterFacts.learnLists, counted while under way (see synced). */
  private async learnLists(kinds: readonly KindInfo[]): Promise<void> {
    this.learningLists++;
    try {
      await this.facts.learnLists(kinds);
    } finally {
      this.learningLists--;
    }
  }

  private drop(held: readonly KindWatch[]): void {
    if (held.length > 0) this.watches = this.watches.filter((w) => !held.includes(w));
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.discover();
    }, RETRY_MS);
    this.retry.unref();
  }

  private addWatches(info: KindInfo): void {
    for (const version of info.alsoVersions) this.addVersionWatches(info, version);
    this.addScopes(info, this.state);
  }

  /** The watches of `info` read in `version` too, into that version's own live view. */
  private addVersionWatches(info: KindInfo, version: string): void {
    const other: KindInfo = { ...info, version, alsoVersions: [] };
    this.addScopes(other, this.views.of(info.group === '' ? version : `${info.group}/${version}`));
  }

  /** A watch_version warning, logged the first time only (discovery and Git syncs repeat them). */
  private warnOnce(warning: string): void {
    if (this.warned.has(warning)) return;
    this.warned.add(warning);
    this.log.warn({ event: 'watch_version' }, warning);
  }

  /**
   * Git has loaded or changed: each version of a watched kind that Git names and no watch reads yet
   * gets its watch now (the watches start while Git is still loading, before it has said which
   * versions it uses). Their scopes are pushed at once, so a whenSynced() after this waits for
   * them too; resolves once their first lists have loaded.
   */
  async watchGitVersions(): Promise<void> {
    if (this.stopped) return;
    const extra = this.versionWatches();
    this.drop(this.gate.hold(extra.filter((w) => this.watches.includes(w))));
    await Promise.all(extra.filter((w) => this.watches.includes(w)).map((w) => w.start()));
  }

  /** Adds (not started) the watches of the served versions Git names that no watch reads yet. */
  private versionWatches(): KindWatch[] {
    const before = this.watches.length;
    for (const info of this.kinds) {
      for (const version of new Set(this.gitVersions(info.key))) {
        if (version === info.version || info.alsoVersions.includes(version)) continue;
        if (!info.served.includes(version)) {
          this.warnOnce(`${info.key}: Git uses ${version}, which the API server does not serve`);
          continue;
        }
        info.alsoVersions.push(version);
        this.addVersionWatches(info, version);
      }
    }
    return this.watches.slice(before);
  }

  private addScopes(info: KindInfo, state: LiveState): void {
    const scopes = info.namespaced && this.namespaces.length > 0 ? this.namespaces : [undefined];
    for (const namespace of scopes) {
      this.watches.push(
        new KindWatch({
          kc: this.kc,
          info,
          namespace,
          excludeNamespaces: this.excluded,
          state,
          log: this.log,
          watchdogMs: this.config.watchdog_timeout,
          onSynced: () => this.syncWaiters.check(),
          onRestart: (kind) => this.hooks.restarted?.(kind),
          onRelist: (kind, reason) => this.hooks.relisted?.(kind, reason),
        }),
      );
    }
  }

  /** Scopes the agent may not read, for readiness and the log. */
  /** The kinds resolved for watching (empty until discovery has answered). */
  watchedKinds(): readonly KindInfo[] {
    return this.kinds;
  }

  deniedScopes(): readonly Denied[] {
    return this.gate.deniedScopes();
  }

  /** Denied by RBAC: this kind cluster-wide, or in this namespace (a per-namespace watch). */
  denies(key: string, namespace: string): boolean {
    return this.gate.denies(key, namespace);
  }

  /** Is an object of this kind key in this namespace watched? ('' namespace: cluster-scoped). */
  tracks(key: string, namespace: string): boolean {
    const info = this.kinds.find((k) => k.key === key);
    if (!info) return false;
    if (this.denies(key, info.namespaced ? namespace : '')) return false;
    // Without the CRDs a custom resource would drift on every schema default: leave it out instead.
    if (this.facts.crdProblem && info.key !== info.kind) return false;
    if (!info.namespaced) return true;
    if (this.excluded.includes(namespace)) return false;
    return this.namespaces.length === 0 || this.namespaces.includes(namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.gate.stop();
    this.retry = undefined;
    await Promise.all([...this.watches.map((w) => w.stop()), this.facts.stop()]);
    this.syncWaiters.check();
  }

  /** Every resolved kind has loaded its first list (kinds discovery cannot resolve do not hold this up). */
  synced(): boolean {
    return this.resolved && this.learningLists === 0 && this.watches.every((w) => w.synced);
  }

  /** Resolves once every watch has loaded its first list (or at once if they have). */
  whenSynced(): Promise<void> {
    return this.syncWaiters.wait();
  }

  /** For readiness: which scopes still wait for their first list (and the list tables, while read). */
  unsynced(): string[] {
    if (!this.resolved) return ['API discovery'];
    const scopes = this.watches.filter((w) => !w.synced).map((w) => w.scope);
    return this.learningLists > 0 ? ['OpenAPI list tables', ...scopes] : scopes;
  }

  /** For readiness: scopes whose watch is broken now (after its first list), with the reason. */
  broken(): string[] {
    return this.watches
      .filter((w) => w.synced && w.failure !== undefined)
      .map((w) => `${w.scope}: ${w.failure}`);
  }

  /** Resource types discovery could not resolve (or discovery itself failing). */
  unresolved(): string[] {
    return this.problems;
  }

  /** For readiness: resource types that could not be resolved and a CRD read that failed. */
  issues(): string[] {
    const crd = this.facts.crdProblem;
    return [...this.problems, ...this.unreadable, ...(crd ? [crd] : [])];
  }

  counts(): Record<string, number> {
    return this.state.counts();
  }
}
