// All the watches the config asks for: each resource type, cluster-wide (minus the system
// namespaces) or once per listed namespace, feeding one LiveState. Resource types are resolved with
// the API server's discovery when the watches start (and retried while some cannot be), and the
// CRDs are read for the engine's custom resource defaults; what fails is a readiness message.
import type { KubeConfig } from '@kubernetes/client-node';
import type { CrdSchemas, KindScopes } from '../../shared/engine/index.ts';
import { readCrdSchemas } from '../../shared/node/kube/crds.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import type { KubernetesConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { KindWatch, type RelistReason } from './kind-watch.ts';
import { resolveKinds, type KindInfo } from './kinds.ts';
import { LiveState, type LiveChange } from './live-state.ts';
import { deniedScopes, type Denied } from './permissions.ts';

/** What the agent counts of its watches (metrics). */
export interface WatchHooks {
  restarted?: (kind: string) => void;
  relisted?: (kind: string, reason: RelistReason) => void;
}

/** What discovery told the engine: scopes by kind key and the CRDs' schemas. */
export interface ClusterFacts {
  scopes: KindScopes;
  crdSchemas: CrdSchemas | undefined;
}

const RETRY_MS = 30_000;

export class ClusterWatch {
  /** Live objects in the version each kind is watched in (Git's, else the preferred one). */
  readonly state = new LiveState();
  /** Live objects of the other versions Git uses, by apiVersion (several versions of a kind in Git). */
  private readonly otherVersions = new Map<string, LiveState>();
  private readonly listeners: ((change: LiveChange) => void)[] = [];
  private tracked: (id: string) => boolean = () => true;
  private watches: KindWatch[] = [];
  private syncWaiters: (() => void)[] = [];
  private resolved = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /** The Discovery prepare() learned the facts with, for the first discover() to reuse. */
  private prepared: Discovery | null = null;
  private problems: string[] = [];
  /** Warnings about versions Git names that the server does not serve, logged once each. */
  private readonly warned = new Set<string>();
  private crdProblem: string | null = null;
  private kinds: KindInfo[] = [];
  /** Scopes the agent may not read (its own permission check): not watched, not analysed. */
  private denied: Denied[] = [];
  /** Their watches, started once a re-check finds the permission granted. */
  private held: KindWatch[] = [];
  private recheck: NodeJS.Timeout | undefined;
  private readonly excluded: readonly string[];
  private readonly namespaces: readonly string[];

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: KubernetesConfig,
    private readonly log: Logger,
    /** Versions the desired objects use for a kind key (the watch reads that version). */
    private readonly gitVersions: (key: string) => readonly string[] = () => [],
    /** Told each time discovery has new facts for the engine. */
    private readonly onFacts: (facts: ClusterFacts) => void = () => undefined,
    /** Told of each watch restart (failure or silence) and each relist (metrics). */
    private readonly hooks: WatchHooks = {},
    /** How often denied scopes are asked about again (a later RBAC grant starts their watch). */
    private readonly recheckMs = RETRY_MS,
  ) {
    this.excluded = config.exclude_system_namespaces ? config.system_namespaces : [];
    this.namespaces = config.namespaces.filter((ns) => !this.excluded.includes(ns));
    this.prepareState(this.state);
  }

  /** Which ids every live view keeps whole (the objects Git names); the rest is a light index. */
  trackOnly(tracked: (id: string) => boolean): void {
    this.tracked = tracked;
    for (const s of this.states()) s.trackOnly(tracked);
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

  /** Reads whole, in every live view, the tracked objects among `ids` held light (see LiveState.ensure). */
  async ensure(ids: Iterable<string>): Promise<number> {
    const list = [...ids];
    let n = 0;
    for (const s of this.states()) n += await s.ensure(list);
    return n;
  }

  /** Slims, in every live view, the objects Git no longer names. */
  compact(): number {
    let n = 0;
    for (const s of this.states()) n += s.compact();
    return n;
  }

  private states(): LiveState[] {
    return [this.state, ...this.otherVersions.values()];
  }

  /** An object Git starts to name after it was listed light is read whole through the watch feeding its view. */
  private prepareState(state: LiveState): void {
    state.trackOnly(this.tracked);
    state.setFetcher(async (entry) => {
      const watch = this.watches.find(
        (w) =>
          w.feeds(state) &&
          w.key === entry.kind &&
          (w.namespace === undefined || w.namespace === entry.namespace),
      );
      return watch ? watch.fetch(entry.namespace, entry.name) : null;
    });
  }

  /**
   * Discovery's facts for the engine (scopes, CRD schemas), before Git is first parsed; failures are
   * left for start() to report and retry.
   */
  async prepare(): Promise<void> {
    const discovery = new Discovery(this.kc);
    try {
      await this.learn(discovery);
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

  private async learn(discovery: Discovery): Promise<void> {
    const crds = await readCrdSchemas(this.kc);
    if (!crds.ok && this.crdProblem !== crds.message)
      this.log.warn({ event: 'crd_read_failed' }, crds.message);
    this.crdProblem = crds.ok ? null : crds.message;
    this.onFacts({ scopes: await discovery.scopes(), crdSchemas: crds.ok ? crds.schemas : undefined });
  }

  /** Resolve the kinds not yet watched and start their watches; retried while some fail. */
  private async discover(): Promise<void> {
    if (this.stopped) return;
    const learned = this.prepared;
    this.prepared = null;
    const discovery = learned ?? new Discovery(this.kc);
    try {
      const served = await discovery.kinds();
      const r = resolveKinds(served, this.config.resource_types, this.gitVersions);
      for (const w of r.warnings) this.warnOnce(w);
      if (!learned) await this.learn(discovery);
      const fresh = r.kinds.filter((k) => !this.kinds.some((w) => w.key === k.key));
      this.kinds.push(...fresh);
      for (const info of fresh) this.addWatches(info);
      // Git may have loaded while discovery ran: the versions it names now, for every kind.
      const extra = this.versionWatches();
      await this.dropDenied(fresh);
      this.holdDenied(extra);
      this.problems = r.problems;
      for (const p of r.problems) this.log.error({ event: 'resource_type_unresolved' }, p);
      this.resolved = true;
      await Promise.all(
        this.watches
          .filter((w) => fresh.some((f) => f.key === w.key) || extra.includes(w))
          .map((w) => w.start()),
      );
    } catch (err) {
      this.problems = [`API discovery failed: ${(err as Error).message}`];
      this.log.error({ event: 'discovery_failed', err: (err as Error).message }, this.problems[0]);
    }
    if (this.problems.length > 0 || this.crdProblem) this.scheduleRetry();
    this.checkSynced();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.discover();
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Changes from every watch, whatever version it reads. */
  onChange(listener: (change: LiveChange) => void): void {
    this.listeners.push(listener);
    this.state.onChange(listener);
    for (const s of this.otherVersions.values()) s.onChange(listener);
  }

  /** The live object for a desired object: in the version Git names for it when that is watched. */
  get(id: string, apiVersion?: string): ReturnType<LiveState['get']> {
    return (
      (apiVersion !== undefined ? this.otherVersions.get(apiVersion)?.get(id) : undefined) ??
      this.state.get(id)
    );
  }

  private stateFor(apiVersion: string): LiveState {
    let s = this.otherVersions.get(apiVersion);
    if (!s) {
      s = new LiveState();
      this.prepareState(s);
      for (const l of this.listeners) s.onChange(l);
      this.otherVersions.set(apiVersion, s);
    }
    return s;
  }

  private addWatches(info: KindInfo): void {
    for (const version of info.alsoVersions) this.addVersionWatches(info, version);
    this.addScopes(info, this.state);
  }

  /** The watches of `info` read in `version` too, into that version's own live view. */
  private addVersionWatches(info: KindInfo, version: string): void {
    const other: KindInfo = { ...info, version, alsoVersions: [] };
    this.addScopes(other, this.stateFor(info.group === '' ? version : `${info.group}/${version}`));
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
    this.holdDenied(extra);
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

  /** Watches of scopes already known to be denied wait with the others for a grant (see recheckDenied). */
  private holdDenied(candidates: readonly KindWatch[]): void {
    const denied = candidates.filter(
      (w) => this.watches.includes(w) && this.denies(w.key, w.target.namespace ?? ''),
    );
    if (denied.length === 0) return;
    this.held.push(...denied);
    this.watches = this.watches.filter((w) => !denied.includes(w));
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
          onSynced: () => this.checkSynced(),
          onRestart: (kind) => this.hooks.restarted?.(kind),
          onRelist: (kind, reason) => this.hooks.relisted?.(kind, reason),
        }),
      );
    }
  }

  /**
   * The agent's own permission check before new watches start: a scope it may not list or watch
   * (SelfSubjectAccessReview) is left out and named, so every other scope syncs and is analysed.
   */
  private async dropDenied(fresh: KindInfo[]): Promise<void> {
    const candidates = this.watches.filter((w) => fresh.some((f) => f.key === w.key)).map((w) => w.target);
    const denied = await deniedScopes(this.kc, candidates, this.log);
    if (denied.length === 0) return;
    this.denied.push(...denied);
    this.held.push(...this.watches.filter((w) => this.denies(w.key, w.target.namespace ?? '')));
    this.watches = this.watches.filter((w) => !this.held.includes(w));
    if (!this.recheck) {
      this.recheck = setInterval(() => void this.recheckDenied(), this.recheckMs);
      this.recheck.unref();
    }
  }

  /** Starts the held watches whose permission has been granted since. */
  private async recheckDenied(): Promise<void> {
    if (this.stopped || this.held.length === 0) return;
    const still = await deniedScopes(
      this.kc,
      this.held.map((w) => w.target),
      this.log,
      false,
    );
    const granted = this.held.filter(
      (w) => !still.some((d) => d.key === w.key && d.namespace === (w.target.namespace ?? null)),
    );
    if (granted.length === 0) return;
    this.denied = still;
    this.held = this.held.filter((w) => !granted.includes(w));
    this.watches.push(...granted);
    for (const w of granted)
      this.log.info(
        { event: 'permission_granted', kind: w.key, namespace: w.target.namespace ?? null },
        `may now read ${w.scope}: watching it`,
      );
    if (this.held.length === 0) clearInterval(this.recheck);
    await Promise.all(granted.map((w) => w.start()));
  }

  /** Scopes the agent may not read, for readiness and the log. */
  deniedScopes(): readonly Denied[] {
    return this.denied;
  }

  /** Denied by RBAC: this kind cluster-wide, or in this namespace (a per-namespace watch). */
  denies(key: string, namespace: string): boolean {
    return this.denied.some((d) => d.key === key && (d.namespace === null || d.namespace === namespace));
  }

  /** Is an object of this kind key in this namespace watched? ('' namespace: cluster-scoped). */
  tracks(key: string, namespace: string): boolean {
    const info = this.kinds.find((k) => k.key === key);
    if (!info) return false;
    if (this.denies(key, info.namespaced ? namespace : '')) return false;
    // Without the CRDs a custom resource would drift on every schema default: leave it out instead.
    if (this.crdProblem && info.key !== info.kind) return false;
    if (!info.namespaced) return true;
    if (this.excluded.includes(namespace)) return false;
    return this.namespaces.length === 0 || this.namespaces.includes(namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.recheck);
    this.retry = undefined;
    await Promise.all(this.watches.map((w) => w.stop()));
    this.checkSynced();
  }

  /** Every resolved kind has loaded its first list (kinds discovery cannot resolve do not hold this up). */
  synced(): boolean {
    return this.resolved && this.watches.every((w) => w.synced);
  }

  /** Resolves once every watch has loaded its first list (or at once if they have). */
  whenSynced(): Promise<void> {
    if (this.synced()) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** For readiness: which scopes still wait for their first list. */
  unsynced(): string[] {
    if (!this.resolved) return ['API discovery'];
    return this.watches.filter((w) => !w.synced).map((w) => w.scope);
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
    return [...this.problems, ...(this.crdProblem ? [this.crdProblem] : [])];
  }

  counts(): Record<string, number> {
    return this.state.counts();
  }

  private checkSynced(): void {
    if (!this.synced()) return;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) w();
  }
}
