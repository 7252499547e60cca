// The agent, composed: config → logger → store → Git → watches → scheduler → HTTP servers.
// start() brings it up (the servers answer /health at once; /ready says what is still loading);
// stop() finishes the write in flight, then closes watches, servers and the store.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEngineOptions, validateRules } from '../shared/engine/index.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { Confirmer } from '../shared/node/kube/confirm/index.ts';
import { ConfirmStage } from '../shared/node/kube/confirm/stage.ts';
import { Discovery } from '../shared/node/kube/discovery.ts';
import { RenderCache } from '../shared/node/render/index.ts';
import { Scheduler } from './analysis/scheduler.ts';
import { createApiApp, createHealthApp, startHttpServers, type HttpServers } from './api/index.ts';
import type { AgentConfig } from './config/schema.ts';
import { ControlFacade } from './control.ts';
import { ClusterPublisher } from './cluster-publisher.ts';
import { desiredVersions, trackedOnly } from './git/desired-view.ts';
import { GitSource } from './git/git-source.ts';
import type { DesiredSource } from './git/desired-source.ts';
import { ChartSource } from './gitops/chart-source.ts';
import { secretCredentials } from './helm/chart-repositories.ts';
import { helmReleaseSpecs, sourceSpecs, type SourceSpec } from './git/source-spec.ts';
import type { DiscoveredSource } from './gitops/discovered.ts';
import { GitopsDiscovery } from './gitops/watcher.ts';
import { HelmReleaseSource } from './helm/release-source.ts';
import { Sources } from './git/sources.ts';
import { gitWorkDir } from './git/work-dir.ts';
import { GitLoop } from './git-loop.ts';
import { loadKubeConfig } from './kube/client.ts';
import { ClusterFacts } from './kube/cluster-facts.ts';
import { ClusterWatch } from './kube/cluster-watch.ts';
import { ConfirmCheck } from './kube/confirm-check.ts';
import { EventRecorder } from './kube/events.ts';
import type { LeaderElector } from './kube/leader.ts';
import { leaderElection, leaseIdentity } from './leadership.ts';
import { createLogger, type LogSink, type Logger } from './log.ts';
import { AuditAttribution } from './audit/attribution.ts';
import { AuditJournal } from './audit/journal.ts';
import { AuditReceiver } from './audit/receiver.ts';
import { tailAuditLog } from './audit/tail.ts';
import { memoryLimitBytes } from './memory/cgroup.ts';
import { MemoryWatch } from './memory/pressure.ts';
import { AgentMetrics } from './metrics.ts';
import { WaiverBook } from './waivers/book.ts';
import { FightTracker } from './records/fights.ts';
import { Notifier } from './notify/notifier.ts';
import { readiness } from './readiness.ts';
import { renderDeps } from './render-facts.ts';
import { mongoUri, storeFromConfig } from './store/from-config.ts';
import { ResilientStore } from './store/resilient.ts';

export interface AgentOptions {
  version?: string;
  /** Where log lines go (default stdout). */
  logSink?: LogSink;
}

export interface RunningAgent {
  apiUrl: string;
  healthUrl: string;
}

/** Unchanged records get their last_checked rewritten about this often (see records/next-state.ts). */
const TOUCH_AFTER_MS = 5 * 60_000;
/** How often memory is compared with the container's limit (besides every /ready). */
const MEMORY_CHECK_MS = 10_000;

export class Agent {
  readonly log: Logger;
  readonly metrics = new AgentMetrics();
  readonly store: ResilientStore;
  readonly sources: Sources;
  readonly facts: ClusterFacts;
  readonly watch: ClusterWatch;
  /** Rendered sources by (tool, version, commit, path, parameters, cluster): the 30 s poll re-renders nothing unchanged. */
  readonly renderCache = new RenderCache();
  readonly scheduler: Scheduler;
  readonly control: ControlFacade;
  readonly notifier: Notifier;
  private readonly git: GitLoop;
  private servers: HttpServers | undefined;
  private stopping = false;
  private readonly gitDir: { dir: string; temporary: boolean };
  private readonly elector: LeaderElector | undefined;
  /** Audit events in and the join (config audit), when enabled. */
  private readonly audit: { receiver: AuditReceiver; attribution: AuditAttribution } | undefined;
  private stopTail: (() => void) | undefined;
  /** Memory against the container's limit (cgroup): a log line and a /ready warning when near it. */
  private readonly memory: MemoryWatch;
  private stopMemory: () => void = () => undefined;
  /** Publishes this cluster's summary for agents sharing the database (status --all-clusters). */
  private stopPublisher: () => void = () => undefined;
  readonly waivers: WaiverBook;
  private readonly confirm: ConfirmStage;
  private readonly confirmCheck: ConfirmCheck;
  /** Sources read from Argo CD / Flux objects (sources_from), when enabled. */
  private readonly gitops: GitopsDiscovery | undefined;
  private readonly makeSource: (spec: SourceSpec) => DesiredSource;
  /** Resolves once discovery's facts are asked for and the watches started (see start). */
  private readonly factsReady: Promise<void>;
  private markFactsReady: () => void = () => undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly options: AgentOptions = {},
  ) {
    this.log = createLogger(config.logging, options.logSink);
    this.memory = new MemoryWatch({ limit: memoryLimitBytes(), log: this.log });
    this.store = new ResilientStore(storeFromConfig(config), {
      exclusive: !config.database.shared,
      onError: (err, op) =>
        this.log.error(
          { event: 'store_write_failed', op, err: err.message },
          op.startsWith('read:')
            ? 'store read failed; reads go to the database one by one or to the cache'
            : 'store write failed; queued for retry',
        ),
      onLoaded: (records, ms, from) =>
        this.log.info(
          { event: 'store_loaded', records, duration_ms: Math.round(ms), from },
          `${records} record(s) read from the ${from === 'snapshot' ? "store's snapshot" : 'store'}`,
        ),
      onRecovered: (written) =>
        this.log.info(
          { event: 'store_recovered', written },
          `store reachable again; ${written} queued write(s) written`,
        ),
    });
    const baseEngine = defaultEngineOptions({
      rules: validateRules(config.drift.rules).rules,
      ...(config.drift.secret_salt ? { secretSalt: config.drift.secret_salt } : {}),
    });
    this.gitDir = gitWorkDir(config, mongoUri(config) === undefined);
    const kc = loadKubeConfig(config.kubernetes);
    // Discovery owns the cluster facts; Git parses with their scopes, the engine reads them all.
    this.facts = new ClusterFacts(kc, this.log, config.kubernetes.watchdog_timeout);
    const engine = () => this.facts.engineOptions(baseEngine);
    const render = renderDeps(config, kc, this.renderCache);
    const specs = sourceSpecs(config, baseEngine.defaultNamespace);
    this.factsReady = new Promise((resolve) => {
      this.markFactsReady = resolve;
    });
    const factsReady = () => this.factsReady;
    this.makeSource = (spec) => {
      const dir = join(this.gitDir.dir, encodeURIComponent(spec.name));
      // A discovered chart from a chart repository: fetched, not cloned.
      if (spec.chart)
        return new ChartSource(
          { ...spec, chart: spec.chart },
          dir,
          this.log,
          render,
          (url, ns, name) => secretCredentials(kc, url, ns, name),
          () => this.facts.scopes,
          factsReady,
        );
      return new GitSource(
        spec,
        // The old single source keeps its clone where it always was.
        specs.length === 1 && spec.name === 'default' && config.sources_from.length === 0
          ? this.gitDir.dir
          : dir,
        this.log,
        render,
        () => this.facts.scopes,
        factsReady,
      );
    };
    this.sources = new Sources([
      ...specs.map(this.makeSource),
      // Helm releases (no Git) after the Git sources: an object both declare is Git's.
      ...helmReleaseSpecs(config).map(
        (spec) => new HelmReleaseSource(spec, kc, this.log, () => this.facts.scopes, factsReady),
      ),
    ]);
    this.gitops =
      config.sources_from.length > 0
        ? new GitopsDiscovery({
            kc,
            controllers: config.sources_from,
            context: {
              git: {
                clone_timeout: config.git.clone_timeout,
                pull_timeout: config.git.pull_timeout,
                auth: config.git.auth,
              },
              namespace: baseEngine.defaultNamespace,
            },
            log: this.log,
            intervalMs: config.drift.interval,
            onChange: (found) => this.discovered(found),
          })
        : undefined;
    const identity = leaseIdentity(config);
    this.watch = new ClusterWatch({
      kc,
      config: config.kubernetes,
      log: this.log,
      gitVersions: (key) => desiredVersions(this.sources, key),
      facts: this.facts,
      hooks: {
        restarted: (kind) => this.metrics.watchErrors.inc({ kind }),
        relisted: (kind, reason) => this.metrics.watchRelists.inc({ kind, reason }),
      },
    });
    // A Job Git lets its TTL remove, gone after the watch saw it finish, is not Missing.
    baseEngine.finishedJobs = this.watch.state.finishedJobs;
    const desired = trackedOnly(this.sources, (key, ns) => this.watch.tracks(key, ns));
    // Only what Git names is held whole; the rest of the cluster is a light index. The lists run
    // while Git loads: until its first load has been tried every listed object is held whole (and
    // the rest slimmed then), else each object Git names would have to be read again, one by one.
    this.watch.trackOnly((id) => !this.git.tried || desired.get(id) !== undefined);
    const reportUnmanaged = config.drift.unmanaged === 'report';
    this.watch.keepUnmanagedFacts(reportUnmanaged);
    this.notifier = new Notifier(config.notifications, { log: this.log, metrics: this.metrics });
    // The loop hands the scheduler (made next: it waits for the loop's first load) what Git changed.
    this.git = new GitLoop({
      sources: this.sources,
      watch: this.watch,
      scheduler: {
        triggerAnalysis: (trigger) => this.scheduler.triggerAnalysis(trigger),
        analyzeObjects: (ids, trigger) => this.scheduler.analyzeObjects(ids, trigger),
      },
      log: this.log,
    });
    this.confirm = confirmStage(config, kc, this.metrics);
    this.confirmCheck = new ConfirmCheck(kc, this.log, this.confirm.confirmer !== null);
    this.audit = auditFromConfig(config, (group, resource) => this.watch.kindKeyOf(group, resource));
    this.audit?.attribution.journal.onWrite((w) => this.scheduler.reanalyze(w.resource_id));
    const attribution = this.audit?.attribution;
    // A waiver made, revoked or expired: what it covers is analysed again (a rule: everything).
    this.waivers = new WaiverBook(this.store, config.kubernetes.cluster, this.log, (w) => {
      if (w.scope.resource_id) this.scheduler.reanalyze(w.scope.resource_id);
      else this.scheduler.triggerAnalysis('manual', true);
    });
    const waivers = this.waivers;
    const fights = new FightTracker({
      flips: config.drift.fight.flips,
      windowMs: config.drift.fight.window,
    });
    this.metrics.watchWaivers(() => waivers.all().map((w) => w.state));
    this.scheduler = new Scheduler({
      waive: (next, previous, now) => waivers.apply(next, previous, now),
      fight: (next, previous, now) => fights.apply(next, previous, now),
      confirm: this.confirm,
      ...(attribution
        ? {
            audit: attribution,
            attribute: (record, previous) => attribution.attribute(record, previous, null),
          }
        : {}),
      store: this.store,
      metrics: this.metrics,
      log: this.log,
      engine,
      touchAfterMs: TOUCH_AFTER_MS,
      cluster: config.kubernetes.cluster,
      ...(config.drift.events ? { events: new EventRecorder(kc, this.log, identity) } : {}),
      desired,
      analysable: (key, ns) => !this.watch.denies(key, ns),
      ...(reportUnmanaged
        ? {
            unmanaged: {
              namespaces: config.kubernetes.namespaces,
              skipNamespaces: config.kubernetes.system_namespaces,
            },
          }
        : {}),
      live: this.watch,
      gitCommit: () => this.sources.commit,
      agentVersion: options.version ?? '0.0.0',
      notify: (n) => this.notifier.notify(n),
      // After Git: the watches of the versions Git names are added when it loads, and waited for too.
      loaded: this.git.loaded.then(() => this.watch.whenSynced()),
      desiredLoaded: this.git.loaded,
    });
    if (config.drift.watch)
      this.watch.onChange((change) => this.scheduler.analyzeObjects([change.id], 'watch'));
    this.metrics.info.set({ version: options.version ?? '0.0.0', cluster: config.kubernetes.cluster }, 1);
    this.elector = leaderElection({
      config,
      kc,
      identity,
      log: this.log,
      metrics: this.metrics,
      store: this.store,
      scheduler: this.scheduler,
    });
    const elector = this.elector;
    this.control = new ControlFacade({
      scheduler: this.scheduler,
      desired,
      live: this.watch,
      engine,
      confirm: this.confirm,
      gitCommit: () => this.sources.commit,
      readiness: () =>
        readiness({
          store: this.store,
          watch: this.watch,
          sources: this.sources,
          memory: () => this.memory.check(),
          confirm: () => this.confirmCheck.state(),
          ...(this.gitops ? { discovery: () => this.gitops?.readiness() ?? [] } : {}),
          ...(elector ? { leadership: () => elector.status() } : {}),
        }),
      watchedCounts: () => this.watch.counts(),
      sources: () => this.sources.statistics(),
      leadership: () => this.leadership(),
      version: options.version ?? '0.0.0',
      cluster: config.kubernetes.cluster,
    });
  }

  leadership(): { leading: boolean; holder: string | null; identity: string | null } {
    return this.elector?.status() ?? { leading: true, holder: null, identity: null };
  }

  async start(): Promise<RunningAgent> {
    const { server } = this.config;
    this.log.info(
      {
        event: 'agent_started',
        version: this.options.version ?? null,
        sources: this.sources.list.map((s) => `${s.name}=${s.origin()}`),
      },
      'DriftGuard agent starting',
    );
    this.stopMemory = this.memory.every(MEMORY_CHECK_MS);
    this.stopPublisher = new ClusterPublisher({
      store: this.store,
      cluster: this.config.kubernetes.cluster,
      version: this.options.version ?? '0.0.0',
      leading: () => this.leadership().leading,
      log: this.log,
    }).every();
    // Discovery's facts (Git's objects are parsed with the scopes of their kinds) are asked for
    // while the store opens and the servers start: a restart does not wait for one after the other.
    // prepare() never rejects (start() asks again and reports).
    const prepared = this.watch.prepare();
    // The clone and the file reads start now too (no GitOps sources to read first): the sources
    // parse once discovery answered (factsReady), so the Git load overlaps discovery and the store.
    const early = this.gitops ? undefined : this.git.start(this.config.drift.interval);
    await this.store.init();
    // Every record, read once while Git and the watches load: the first analysis then reads none
    // from the database (on MongoDB a read of a few ids may scan the collection).
    this.store.preload();
    await this.waivers.start(this.config.drift.interval);
    this.servers = await startHttpServers({
      apiApp: createApiApp({
        store: this.store,
        control: this.control,
        metrics: this.metrics,
        logger: this.log,
        limits: { bodyLimitBytes: server.body_limit, requestTimeoutMs: server.write_timeout },
        ...(this.config.audit.webhook && this.audit ? { audit: this.audit.receiver } : {}),
        waivers: this.waivers,
      }),
      healthApp: createHealthApp({ control: this.control, metrics: this.metrics, logger: this.log }),
      api: { port: server.port, address: server.address },
      health: { port: server.health_port, address: server.health_address },
      timeouts: { readMs: server.read_timeout, writeMs: server.write_timeout, idleMs: server.idle_timeout },
    });
    this.log.info(
      { event: 'server_listening', api_url: this.servers.apiUrl, health_url: this.servers.healthUrl },
      `API on ${this.servers.apiUrl}, health on ${this.servers.healthUrl}`,
    );
    await prepared;
    // The GitOps objects are read before Git loads: their sources are part of the first desired state.
    await this.gitops?.start();
    // The lists and the Git load overlap; the first analysis waits for both (Scheduler `loaded`).
    const watching = this.watch.start();
    // After the watches started: Git's first load tells them what it names (GitLoop).
    this.markFactsReady();
    await (early ?? this.git.start(this.config.drift.interval));
    await watching;
    // In the background: a kind it may not dry-run is named in /ready, nothing waits for it.
    void this.confirmCheck.check(this.watch.watchedKinds());
    this.scheduler.start(this.config.drift.interval, this.config.drift.periodic);
    const logFile = this.config.audit.log_file;
    if (logFile && this.audit) {
      const receiver = this.audit.receiver;
      this.stopTail = tailAuditLog(logFile, (e) => receiver.event(e), {
        onProblem: (message) => this.log.warn({ event: 'audit_log_unreadable', file: logFile }, message),
      });
    }
    this.elector?.start();
    return { apiUrl: this.servers.apiUrl, healthUrl: this.servers.healthUrl };
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopMemory();
    // A start that failed before discovery answered: the Git load waiting for it may end now.
    this.markFactsReady();
    this.stopPublisher();
    // No new Git sync from here; the one in flight is waited for after the last write.
    this.gitops?.stop();
    const gitStopped = this.git.stop();
    this.stopTail?.();
    this.waivers.stop();
    await this.scheduler.stop();
    this.audit?.attribution.flush();
    await this.notifier.stop();
    await this.keepSnapshot();
    // After the last write and the snapshot: the Lease is released so a follower takes over
    // without waiting (and may take the snapshot: it is complete before the Lease is free).
    await this.elector?.stop();
    await gitStopped;
    await this.watch.stop();
    await this.servers?.close();
    await this.store.close();
    if (this.gitDir.temporary) rmSync(this.gitDir.dir, { recursive: true, force: true });
  }

  /** The records kept for the next start (on MongoDB it reads a few documents, not one per record). */
  private async keepSnapshot(): Promise<void> {
    const kept = await this.store.keepSnapshot();
    if (typeof kept === 'number')
      this.log.info(
        { event: 'store_snapshot_kept', records: kept },
        `${kept} record(s) kept for the next start`,
      );
    else if (kept !== null)
      this.log.info({ event: 'store_snapshot_kept', records: 0, reason: kept }, `no snapshot kept: ${kept}`);
  }

  /** GitOps objects changed: their sources are swapped in, and Git syncs at once (not at the next tick). */
  private discovered(found: DiscoveredSource[]): void {
    const specs = found.flatMap((d) => (d.spec ? [d.spec] : []));
    const dropped = this.sources.setDiscovered(specs, this.makeSource);
    for (const s of dropped)
      rmSync(join(this.gitDir.dir, encodeURIComponent(s.name)), { recursive: true, force: true });
    if (this.git.tried) void this.git.sync();
  }

  /** Readiness of each component (the API's /ready). */
  readiness(): ReturnType<ControlFacade['readiness']> {
    return this.control.readiness();
  }
}

/** The audit join (config audit), when the webhook or a log file is configured. */
function auditFromConfig(
  config: AgentConfig,
  kindOf: (group: string, resource: string) => string | undefined,
): { receiver: AuditReceiver; attribution: AuditAttribution } | undefined {
  if (!config.audit.webhook && !config.audit.log_file) return undefined;
  const journal = new AuditJournal(config.audit.capacity);
  return {
    receiver: new AuditReceiver(journal, kindOf),
    attribution: new AuditAttribution(journal, config.audit.wait),
  };
}

/**
 * drift.confirm: dry-run asks the API server (a dry-run create of Git's object, through the
 * budget drift.confirm_qps/confirm_burst); off keeps the engine's verdict, marked unconfirmed.
 */
function confirmStage(config: AgentConfig, kc: KubeConfig, metrics: AgentMetrics): ConfirmStage {
  const { confirm, confirm_qps: qps, confirm_burst: burst } = config.drift;
  const confirmer =
    confirm === 'dry-run'
      ? new Confirmer(kc, new Discovery(kc), {
          qps,
          burst,
          onRequest: (outcome, seconds) => metrics.confirmRequest(outcome, seconds),
        })
      : null;
  return new ConfirmStage(confirmer, 'not confirmed: drift.confirm is off');
}
