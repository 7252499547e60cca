// The agent, composed: config → logger → store → Git → watches → scheduler → HTTP servers.
// start() brings it up (the servers answer /health at once; /ready says what is still loading);
// stop() finishes the write in flight, then closes watches, servers and the store.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultEngineOptions, kindKeyOf, validateRules } from '../shared/engine/index.ts';
import type { ComponentState } from './analysis/control.ts';
import { Scheduler } from './analysis/scheduler.ts';
import { createApiApp, createHealthApp, startHttpServers, type HttpServers } from './api/index.ts';
import type { AgentConfig } from './config/schema.ts';
import {
  clusterInfo,
  findTools,
  RenderCache,
  type ClusterInfo,
  type Tools,
} from '../shared/node/render/index.ts';
import type { SourceStatistics } from '../shared/types.ts';
import { safeUrl } from './git/auth.ts';
import { GitSource, type RenderDeps } from './git/git-source.ts';
import { sourceSpecs } from './git/source-spec.ts';
import { Sources } from './git/sources.ts';
import { ClusterWatch } from './kube/cluster-watch.ts';
import { kubeGetOk } from '../shared/node/kube/rest.ts';
import { loadKubeConfig } from './kube/client.ts';
import { EventRecorder } from './kube/events.ts';
import { LeaderElector } from './kube/leader.ts';
import { scopeLabel } from './kube/permissions.ts';
import type { DesiredView } from './analysis/scheduler.ts';
import { createLogger, type LogSink, type Logger } from './log.ts';
import { AgentMetrics } from './metrics.ts';
import { Notifier } from './notify/notifier.ts';
import { ResilientStore } from './store/resilient.ts';
import { openStore } from './store/index.ts';
import type { Store } from './store/store.ts';

export interface AgentOptions {
  version?: string;
  /** Where log lines go (default stdout). */
  logSink?: LogSink;
}

export interface RunningAgent {
  apiUrl: string;
  healthUrl: string;
}

/** Unchanged records get their last_checked rewritten about this often (see record-step.ts). */
const TOUCH_AFTER_MS = 5 * 60_000;

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The pod's namespace, from its service account mount (in-cluster only). */
function podNamespace(config: AgentConfig): string | undefined {
  if (!config.kubernetes.in_cluster || !existsSync(SA_NAMESPACE_FILE)) return undefined;
  return readFileSync(SA_NAMESPACE_FILE, 'utf8').trim() || undefined;
}

function mongoUri(config: AgentConfig): string | undefined {
  if (config.database.uri) return config.database.uri;
  if (config.database.host) return `mongodb://${config.database.host}:${config.database.port}/`;
  return undefined;
}

/** MongoDB when a database URI or host is configured, else the embedded store on disk. */
function innerStore(config: AgentConfig): Store {
  const uri = mongoUri(config);
  const cluster = config.kubernetes.cluster;
  if (uri)
    return openStore({
      uri,
      name: config.database.name,
      connectTimeoutMs: config.database.connect_timeout,
      cluster,
    });
  return openStore({ path: resolve(config.database.path), cluster });
}

/** The clone lives beside the embedded database, or in a temp dir when MongoDB holds the data. */
/** Where the clone lives, and whether it is a temp dir of this process (removed on stop). */
function gitWorkDir(config: AgentConfig): { dir: string; temporary: boolean } {
  if (config.git.work_dir) return { dir: resolve(config.git.work_dir), temporary: false };
  if (mongoUri(config)) return { dir: mkdtempSync(join(tmpdir(), 'driftguard-git-')), temporary: true };
  return { dir: join(dirname(resolve(config.database.path)), 'git-clone'), temporary: false };
}

/** The desired objects within the watched kinds (by kind key) and namespaces. */
function trackedOnly(
  desired: DesiredView,
  tracked: (key: string, namespace: string) => boolean,
): DesiredView {
  const ok = (entry: ReturnType<DesiredView['get']>) =>
    entry !== undefined &&
    tracked(kindKeyOf(entry.desired.object), String(entry.desired.object.metadata['namespace'] ?? ''));
  return {
    get: (id) => {
      const entry = desired.get(id);
      return ok(entry) ? entry : undefined;
    },
    *entries() {
      for (const pair of desired.entries()) if (ok(pair[1])) yield pair;
    },
  };
}

export class Agent {
  readonly log: Logger;
  readonly metrics = new AgentMetrics();
  readonly store: ResilientStore;
  readonly sources: Sources;
  readonly watch: ClusterWatch;
  /** Rendered sources by (tool, version, commit, path, parameters, cluster): the 30 s poll re-renders nothing unchanged. */
  readonly renderCache = new RenderCache();
  readonly scheduler: Scheduler;
  readonly notifier: Notifier;
  private servers: HttpServers | undefined;
  private gitTimer: NodeJS.Timeout | undefined;
  private gitSyncing: Promise<void> | null = null;
  private markGitLoaded: () => void = () => undefined;
  /** The first Git load has been tried (loaded or failed): from then on only what Git names is held whole. */
  private gitTried = false;
  private stopping = false;
  private readonly gitDir: { dir: string; temporary: boolean };
  private readonly kc: ReturnType<typeof loadKubeConfig>;
  private readonly elector: LeaderElector | undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly options: AgentOptions = {},
  ) {
    this.log = createLogger(config.logging, options.logSink);
    this.store = new ResilientStore(innerStore(config), {
      exclusive: !config.database.shared,
      onError: (err, op) =>
        this.log.error(
          { event: 'store_write_failed', op, err: err.message },
          'store write failed; queued for retry',
        ),
      onRecovered: (written) =>
        this.log.info(
          { event: 'store_recovered', written },
          `store reachable again; ${written} queued write(s) written`,
        ),
    });
    const engine = defaultEngineOptions({
      rules: validateRules(config.drift.rules).rules,
      ...(config.drift.secret_salt ? { secretSalt: config.drift.secret_salt } : {}),
    });
    this.gitDir = gitWorkDir(config);
    this.kc = loadKubeConfig(config.kubernetes);
    const renderDeps = this.renderDeps(this.kc);
    const specs = sourceSpecs(config, engine.defaultNamespace);
    this.sources = new Sources(
      specs.map(
        (spec) =>
          new GitSource(
            spec,
            // The old single source keeps its clone where it always was.
            specs.length === 1 && spec.name === 'default'
              ? this.gitDir.dir
              : join(this.gitDir.dir, encodeURIComponent(spec.name)),
            this.log,
            renderDeps,
            () => engine.scopes,
          ),
      ),
    );
    // In a pod the host name is the pod name; outside, two agents on one host need the pid too.
    const identity =
      config.leader_election.identity ??
      (config.kubernetes.in_cluster ? hostname() : `${hostname()}-${process.pid}`);
    this.watch = new ClusterWatch(
      this.kc,
      config.kubernetes,
      this.log,
      (key) => this.gitVersions(key),
      (facts) => {
        // The engine reads these on every analysis: scope of every kind, CRD schema defaults.
        engine.scopes = facts.scopes;
        if (facts.crdSchemas) engine.crdSchemas = facts.crdSchemas;
        else delete engine.crdSchemas;
      },
      {
        restarted: (kind) => this.metrics.watchErrors.inc({ kind }),
        relisted: (kind, reason) => this.metrics.watchRelists.inc({ kind, reason }),
      },
    );
    const desired = trackedOnly(this.sources, (key, ns) => this.watch.tracks(key, ns));
    // Only what Git names is held whole; the rest of the cluster is a light index. The lists run
    // while Git loads: until its first load has been tried every listed object is held whole (and
    // the rest slimmed then), else each object Git names would have to be read again, one by one.
    this.watch.trackOnly((id) => !this.gitTried || desired.get(id) !== undefined);
    const reportUnmanaged = config.drift.unmanaged === 'report';
    this.watch.keepUnmanagedFacts(reportUnmanaged);
    this.notifier = new Notifier(config.notifications, { log: this.log, metrics: this.metrics });
    const gitLoaded = new Promise<void>((resolve) => {
      this.markGitLoaded = resolve;
    });
    this.scheduler = new Scheduler({
      store: this.store,
      metrics: this.metrics,
      log: this.log,
      engine,
      touchAfterMs: TOUCH_AFTER_MS,
      cluster: config.kubernetes.cluster,
      ...(config.drift.events ? { events: new EventRecorder(this.kc, this.log, identity) } : {}),
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
      leadership: () => this.leadership(),
      live: this.watch,
      gitCommit: () => this.sources.commit,
      sources: () => this.sourceStatistics(),
      notify: (n) => this.notifier.notify(n),
      readiness: () => this.readiness(),
      watchedCounts: () => this.watch.counts(),
      version: options.version ?? '0.0.0',
      // After Git: the watches of the versions Git names are added when it loads, and waited for too.
      loaded: gitLoaded.then(() => this.watch.whenSynced()),
    });
    if (config.drift.watch)
      this.watch.onChange((change) => this.scheduler.analyzeObjects([change.id], 'watch'));
    this.metrics.info.set({ version: options.version ?? '0.0.0', cluster: config.kubernetes.cluster }, 1);
    const election = config.leader_election;
    if (election.enabled) {
      // A follower serves the API from the store and keeps its watches and Git current, so it can
      // take over at once; it analyses and writes nothing until it holds the Lease.
      this.scheduler.setActive(false);
      // A follower's reads go to the database the leader writes; see ResilientStore.setExclusive.
      this.store.setExclusive(false);
      this.metrics.leader.set(0);
      this.elector = new LeaderElector({
        kc: this.kc,
        namespace: election.namespace ?? podNamespace(config) ?? 'driftguard',
        name: election.lease_name,
        // In a pod the host name is the pod name; outside, two agents on one host need the pid too.
        identity:
          election.identity ?? (config.kubernetes.in_cluster ? hostname() : `${hostname()}-${process.pid}`),
        leaseDurationMs: election.lease_duration,
        renewDeadlineMs: election.renew_deadline,
        retryPeriodMs: election.retry_period,
        log: this.log,
        onStartedLeading: () => {
          this.metrics.leader.set(1);
          this.store.setExclusive(!config.database.shared);
          this.scheduler.setActive(true);
        },
        onStoppedLeading: () => {
          this.metrics.leader.set(0);
          this.store.setExclusive(false);
          this.scheduler.setActive(false);
        },
      });
    } else this.metrics.leader.set(1);
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
        sources: this.sources.list.map((s) => `${s.name}=${safeUrl(s.spec.git.url)}`),
      },
      'DriftGuard agent starting',
    );
    await this.store.init();
    this.servers = await startHttpServers({
      apiApp: createApiApp({
        store: this.store,
        control: this.scheduler,
        metrics: this.metrics,
        logger: this.log,
        limits: { bodyLimitBytes: server.body_limit, requestTimeoutMs: server.write_timeout },
      }),
      healthApp: createHealthApp({ control: this.scheduler, metrics: this.metrics, logger: this.log }),
      api: { port: server.port, address: server.address },
      health: { port: server.health_port, address: server.health_address },
      timeouts: { readMs: server.read_timeout, writeMs: server.write_timeout, idleMs: server.idle_timeout },
    });
    this.log.info(
      { event: 'server_listening', api_url: this.servers.apiUrl, health_url: this.servers.healthUrl },
      `API on ${this.servers.apiUrl}, health on ${this.servers.healthUrl}`,
    );
    // Discovery's facts first: Git's objects are parsed with the scopes of their kinds.
    await this.watch.prepare();
    // The lists and the Git load overlap; the first analysis waits for both (Scheduler `loaded`).
    const watching = this.watch.start();
    await this.syncGit();
    this.gitTimer = setInterval(() => void this.syncGit(), this.config.drift.interval);
    await watching;
    this.scheduler.start(this.config.drift.interval, this.config.drift.periodic);
    this.elector?.start();
    return { apiUrl: this.servers.apiUrl, healthUrl: this.servers.healthUrl };
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.gitTimer);
    await this.scheduler.stop();
    await this.notifier.stop();
    // After the last write: the Lease is released so a follower takes over without waiting.
    await this.elector?.stop();
    await this.gitSyncing;
    await this.watch.stop();
    await this.servers?.close();
    await this.store.close();
    if (this.gitDir.temporary) rmSync(this.gitDir.dir, { recursive: true, force: true });
  }

  /** The versions Git's objects use for a kind key, so its watch reads live objects in that version. */
  private gitVersions(key: string): string[] {
    const out = new Set<string>();
    for (const [, entry] of this.sources.entries()) {
      const o = entry.desired.object;
      if (kindKeyOf(o) === key) out.add(o.apiVersion.slice(o.apiVersion.indexOf('/') + 1));
    }
    return [...out];
  }

  async readiness(): Promise<ComponentState[]> {
    const storeUp = await this.store.ping().catch(() => false);
    const pending = this.store.pendingWrites();
    const unsynced = this.watch.unsynced();
    const issues = this.watch.issues();
    const perSource = this.sources.list.map((s) => ({
      source: s,
      status: s.status(),
      stats: s.sourceStatus(),
    }));
    const notLoaded = perSource.filter((p) => !p.status.ready);
    const duplicates = this.sources.crossSourceDuplicates();
    const gitMessage =
      perSource.length === 1 && duplicates.length === 0
        ? (perSource[0]?.status.message ?? '')
        : [
            ...perSource.map((p) => `${p.source.name}: ${p.status.message}`),
            ...duplicates.map((d) => d.message),
          ].join('; ');
    const broken = this.watch.broken();
    const denied = this.watch.deniedScopes();
    return [
      {
        name: 'store',
        ready: storeUp,
        message: storeUp
          ? pending > 0
            ? `reachable; ${pending} queued write(s)`
            : 'reachable'
          : `not reachable${pending > 0 ? `; ${pending} write(s) queued` : ''}`,
      },
      {
        name: 'watches',
        // A resource type discovery cannot resolve makes the agent unready; CRDs it cannot read are
        // said here too (custom resources are then left out rather than compared without defaults).
        ready: unsynced.length === 0 && broken.length === 0 && this.watch.unresolved().length === 0,
        message: [
          unsynced.length === 0
            ? `synced (${
                Object.entries(this.watch.counts())
                  .map(([k, n]) => `${k}: ${n}`)
                  .join(', ') || 'no objects'
              })`
            : `waiting for ${unsynced.join(', ')}`,
          // A broken watch after its first list: the live state may be stale until it is back.
          ...(broken.length > 0 ? [`reconnecting ${broken.join(', ')}`] : []),
          ...issues,
        ].join('; '),
      },
      { name: 'git', ready: notLoaded.length === 0, message: gitMessage },
      ...perSource.map((p): ComponentState => ({
        name: `source:${p.source.name}`,
        ready: p.status.ready,
        message: p.status.message,
        type: p.stats.type,
        render_failed: p.stats.render_failed,
      })),
      {
        name: 'permissions',
        ready: denied.length === 0,
        message:
          denied.length === 0
            ? 'may read every tracked kind'
            : `forbidden: ${denied
                .map((d) => `${d.verbs.join('/')} ${scopeLabel(d)}`)
                .join(', ')}; not analysed (every other kind is)`,
      },
      ...(this.elector ? [this.leaderState()] : []),
    ];
  }

  /** Per source: its type, tool, objects, drifted records and whether its newest commit rendered. */
  sourceStatistics(): Omit<SourceStatistics, 'drifted'>[] {
    return this.sources.list.map((s) => {
      const st = s.sourceStatus();
      return {
        name: st.name,
        type: st.type,
        tool: st.tool,
        git_commit: st.commit,
        objects: st.objects,
        skipped: st.skipped,
        unstable: st.unstable,
        render_failed: st.render_failed,
      };
    });
  }

  private renderDeps(kc: ReturnType<typeof loadKubeConfig>): RenderDeps {
    let tools: Promise<Tools> | null = null;
    let info: { at: number; value: ClusterInfo | null } | null = null;
    return {
      tools: () =>
        (tools ??= findTools({ kustomize: this.config.render.kustomize, helm: this.config.render.helm })),
      cache: this.renderCache,
      // Capabilities for helm (auto): asked at most every 5 minutes; an error keeps the last answer.
      cluster: async () => {
        if (info && Date.now() - info.at < 5 * 60_000) return info.value;
        const value = await clusterInfo((path) => kubeGetOk(kc, path)).catch(() => info?.value ?? null);
        info = { at: Date.now(), value };
        return value;
      },
      timeoutMs: this.config.render.timeout,
    };
  }

  private leaderState(): ComponentState {
    const { leading, holder } = this.leadership();
    return {
      name: 'leader',
      ready: true,
      message: leading ? 'leading' : holder ? `following ${holder}` : 'following (no leader yet)',
    };
  }

  /** One Git sync at a time; the first load triggers a full analysis, later ones analyse what changed. */
  private syncGit(): Promise<void> {
    if (this.gitSyncing || this.stopping) return this.gitSyncing ?? Promise.resolve();
    this.gitSyncing = (async () => {
      const change = await this.sources.sync();
      if (!this.gitTried) {
        this.gitTried = true;
        // What was listed while Git loaded and Git does not name goes light now.
        this.watch.compact();
      }
      if (!change) return;
      // Versions Git names that no watch reads yet get theirs before the analysis waits for the watches.
      void this.watch.watchGitVersions();
      for (const d of change.newDuplicates)
        this.log.error({ event: 'git_parse_error', file: d.file, line: null }, d.message);
      this.markGitLoaded();
      if (change.initial) this.scheduler.triggerAnalysis('git');
      else if (change.touched.size > 0) this.scheduler.analyzeObjects(change.touched, 'git');
    })().finally(() => {
      this.gitSyncing = null;
    });
    return this.gitSyncing;
  }
}
