// The cluster facts the engine and Git read: the scope of every kind (a cluster-scoped custom
// resource gets no namespace when Git is parsed) and the CRDs' structural schemas (the engine
// applies their defaults to Git's copy). Discovery learns them (ClusterWatch calls learn()); a
// watch on the CRDs learns them again whenever one is created, changed or deleted, so a schema that
// changes after start is read. The built-in kinds' list tables come from the served OpenAPI of the
// kinds watched (learnLists). Readers take the current facts; nothing else writes them.
import type { KubeConfig } from '@kubernetes/client-node';
import type { CrdSchemas, EngineOptions, KindScopes, ListTables } from '../../shared/engine/index.ts';
import { targetsOf, type HpaItem } from '../../shared/node/kube/autoscaled.ts';
import { readCrdSchemas } from '../../shared/node/kube/crds.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { readListTables } from '../../shared/node/kube/openapi-lists.ts';
import { KubeApiError, kubeGet } from '../../shared/node/kube/rest.ts';
import type { Logger } from '../log.ts';
import { KindWatch } from './kind-watch.ts';
import type { KindInfo } from './kinds.ts';
import { LiveState } from './live-state.ts';
import { errorMessage } from '../../shared/errors.ts';

const CRD: KindInfo = {
  kind: 'CustomResourceDefinition',
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
  key: 'CustomResourceDefinition.apiextensions.k8s.io',
  alsoVersions: [],
  served: ['v1'],
};

const HPA: KindInfo = {
  kind: 'HorizontalPodAutoscaler',
  group: 'autoscaling',
  version: 'v2',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  key: 'HorizontalPodAutoscaler.autoscaling',
  alsoVersions: [],
  served: ['v2'],
};

/** A burst of CRD changes (an operator installing ten) is learned once, this long after the last. */
const SETTLE_MS = 500;

export class ClusterFacts {
  private current: { scopes: KindScopes; crdSchemas: CrdSchemas | undefined } | null = null;
  private problem: string | null = null;
  private version = 0;
  private readonly listeners: (() => void)[] = [];
  private engine: { base: EngineOptions; version: number; options: EngineOptions } | null = null;
  private crdWatch: KindWatch | null = null;
  private hpaWatch: KindWatch | null = null;
  /** Workloads an HPA targets, while the HPAs can be read (EngineOptions.autoscaled). */
  private autoscaled: Set<string> | undefined;
  /** Built-in kinds' list tables (EngineOptions.listTables), once learnLists has run. */
  private lists: ListTables | undefined;
  /** Each OpenAPI problem is logged once. */
  private readonly listProblems = new Set<string>();
  private settle: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly log: Logger,
    private readonly watchdogMs = 300_000,
  ) {}

  /** Scope of each kind by kind key (undefined until discovery has answered once). */
  get scopes(): KindScopes | undefined {
    return this.current?.scopes;
  }

  /** The CRDs' schemas by kind key; undefined when they could not be read. */
  get crdSchemas(): CrdSchemas | undefined {
    return this.current?.crdSchemas;
  }

  /** Why the CRDs could not be read (readiness says it; custom resources are then left out). */
  get crdProblem(): string | null {
    return this.problem;
  }

  /** Bumped each time the facts are learned: a verdict memo keyed on it knows when to look again. */
  get revision(): number {
    return this.version;
  }

  /** Told after the facts were learned again because a CRD changed. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * `base` with the current facts: the engine options of this moment, the same object until the
   * facts (or the base) change.
   */
  engineOptions(base: EngineOptions): EngineOptions {
    if (this.engine?.base === base && this.engine.version === this.version) return this.engine.options;
    let options = base;
    if (this.current) {
      const { crdSchemas: _previous, ...rest } = base;
      const { scopes, crdSchemas } = this.current;
      const autoscaled = this.autoscaled;
      options = {
        ...rest,
        scopes,
        ...(crdSchemas ? { crdSchemas } : {}),
        ...(autoscaled ? { autoscaled } : {}),
        ...(this.lists ? { listTables: this.lists } : {}),
      };
    }
    this.engine = { base, version: this.version, options };
    return options;
  }

  /** Learns scopes (from `discovery`) and CRD schemas; throws when discovery fails. */
  async learn(discovery: Discovery): Promise<void> {
    const crds = await readCrdSchemas(this.kc);
    if (!crds.ok && this.problem !== crds.message) this.log.warn({ event: 'crd_read_failed' }, crds.message);
    this.problem = crds.ok ? null : crds.message;
    this.current = { scopes: await discovery.scopes(), crdSchemas: crds.ok ? crds.schemas : undefined };
    this.version++;
    if (crds.ok) this.watchCrds();
    await this.watchHpas();
  }

  /**
   * The list tables of the built-in kinds of these watched kinds (custom resources have their CRD
   * schema). A group-version whose OpenAPI cannot be read keeps the fallback table, logged once.
   */
  async learnLists(kinds: readonly KindInfo[]): Promise<void> {
    const apiVersions = kinds
      .filter((k) => !this.crdSchemas?.has(k.key))
      .flatMap((k) => [k.version, ...k.alsoVersions].map((v) => (k.group === '' ? v : `${k.group}/${v}`)));
    const read = await readListTables(this.kc, apiVersions);
    for (const p of read.problems) {
      if (this.listProblems.has(p)) continue;
      this.listProblems.add(p);
      this.log.warn({ event: 'openapi_read_failed' }, p);
    }
    const before = this.lists;
    // Unchanged documents give the same table objects (openapi-lists.ts caches them).
    if (before?.size === read.tables.size && [...read.tables].every(([k, t]) => before.get(k) === t)) return;
    this.lists = read.tables;
    this.version++;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settle);
    await this.crdWatch?.stop();
    await this.hpaWatch?.stop();
  }

  /**
   * Which workloads an HPA scales, kept current by a watch: with it, the engine counts a replica
   * count nobody owns (a `kubectl scale` of an object applied server-side) as drift on the others.
   * When the HPAs cannot be listed (RBAC) the engine is not told, and keeps today's caution.
   */
  private async watchHpas(): Promise<void> {
    if (this.hpaWatch || this.stopped) return;
    try {
      await kubeGet(this.kc, '/apis/autoscaling/v2/horizontalpodautoscalers?limit=1');
    } catch (err) {
      if (!(err instanceof KubeApiError) || err.status === 0) throw err;
      this.log.info(
        { event: 'hpa_read_failed', err: err.message },
        `cannot list HorizontalPodAutoscalers (${err.message}): a kubectl scale of an object applied server-side is not reported`,
      );
      return;
    }
    const state = new LiveState();
    let synced = false;
    // Told only once the first list is in: an HPA not yet seen must not make its target's scale drift.
    const learnTargets = (): void => {
      const hpas: HpaItem[] = [];
      for (const [, e] of state.index()) if (e.object) hpas.push(e.object as HpaItem);
      this.autoscaled = targetsOf(hpas);
      this.version++;
    };
    state.onChange(() => {
      if (synced) learnTargets();
    });
    this.hpaWatch = new KindWatch({
      kc: this.kc,
      info: HPA,
      excludeNamespaces: [],
      state,
      log: this.log.child({}, { level: 'warn' }),
      watchdogMs: this.watchdogMs,
      onSynced: () => {
        synced = true;
        learnTargets();
      },
    });
    void this.hpaWatch.start();
  }

  /** Once the CRDs could be read: a change to any of them learns the facts again. */
  private watchCrds(): void {
    if (this.crdWatch || this.stopped) return;
    const state = new LiveState();
    state.trackOnly(() => false);
    state.onChange(() => this.relearnSoon());
    this.crdWatch = new KindWatch({
      kc: this.kc,
      info: CRD,
      excludeNamespaces: [],
      state,
      // Its own watch, not one of the tracked kinds: no watch_synced line (info), failures still logged.
      log: this.log.child({}, { level: 'warn' }),
      watchdogMs: this.watchdogMs,
      onSynced: () => undefined,
    });
    void this.crdWatch.start();
  }

  private relearnSoon(): void {
    if (this.stopped) return;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.learn(new Discovery(this.kc))
        .then(() => {
          for (const l of this.listeners) l();
        })
        .catch((err: unknown) =>
          this.log.warn(
            { event: 'discovery_failed', err: errorMessage(err) },
            'could not learn the cluster facts again after a CRD change; the last ones stay',
          ),
        );
    }, SETTLE_MS);
    this.settle.unref();
  }
}
