// One list+watch of one kind in one scope, kept alive: client-node's ListWatch resumes from the
// last resourceVersion and relists on 410 Gone, but stops for good on any other error, so this
// restarts it with backoff, and a watchdog restarts a watch that has gone silent.
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { Backoff } from '../../shared/backoff.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { listObjects } from '../../shared/node/kube/live.ts';
import { KubeApiError } from '../../shared/node/kube/rest.ts';
import { apiVersionOf, collectionPath, type KindInfo } from './kinds.ts';
import type { LiveState } from './live-state.ts';

export interface KindWatchOptions {
  kc: KubeConfig;
  info: KindInfo;
  /** Undefined: cluster-wide. */
  namespace?: string;
  /** Namespaces left out of a cluster-wide watch (by field selector, so they never reach us). */
  excludeNamespaces: readonly string[];
  state: LiveState;
  log: Logger;
  watchdogMs: number;
  /** Called once when the first list has been loaded. */
  onSynced: () => void;
  /** Called for each failure or silence that restarts the watch (metrics). */
  onRestart?: (kind: string) => void;
}

/** Restart pacing after a failed or silent watch: 500 ms doubling to 30 s, with jitter. */
const RESTART_BACKOFF = { initialMs: 500, maxMs: 30_000 };

type Raw = KubernetesObject & KubeObject;

export class KindWatch {
  synced = false;
  private lw: ListWatch<Raw> | undefined;
  private stopped = false;
  private readonly backoff = new Backoff(RESTART_BACKOFF);
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastActivity = Date.now();
  private readonly path: string;
  private readonly fieldSelector: string | undefined;

  constructor(private readonly opts: KindWatchOptions) {
    this.path = collectionPath(opts.info, opts.namespace);
    const exclusions = opts.info.namespaced && opts.namespace === undefined ? opts.excludeNamespaces : [];
    this.fieldSelector =
      exclusions.length > 0 ? exclusions.map((ns) => `metadata.namespace!=${ns}`).join(',') : undefined;
  }

  get key(): string {
    return this.opts.info.key;
  }

  get target(): { info: KindWatchOptions['info']; namespace?: string } {
    return this.opts.namespace === undefined
      ? { info: this.opts.info }
      : { info: this.opts.info, namespace: this.opts.namespace };
  }

  get scope(): string {
    return `${this.opts.info.key}${this.opts.namespace === undefined ? '' : ` in ${this.opts.namespace}`}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const watchdogEvery = Math.max(1000, Math.floor(this.opts.watchdogMs / 4));
    this.watchdog = setInterval(() => this.checkSilence(), watchdogEvery);
    this.watchdog.unref();
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    await this.lw?.stop();
    this.lw = undefined;
  }

  private async launch(): Promise<void> {
    if (this.stopped) return;
    const lw = new ListWatch<Raw>(
      this.path,
      new Watch(this.opts.kc),
      () => this.list(),
      false,
      undefined,
      this.fieldSelector,
    );
    this.lw = lw;
    const touch = () => {
      this.lastActivity = Date.now();
    };
    lw.on('connect', touch);
    lw.on('add', (obj) => this.onObject(obj, false));
    lw.on('update', (obj) => this.onObject(obj, false));
    lw.on('delete', (obj) => this.onObject(obj, true));
    lw.on('error', (err: unknown) => this.onError(lw, err));
    this.lastActivity = Date.now();
    await lw.start();
  }

  /** The list as plain JSON; it updates the live state itself so changes found by a relist are reported. */
  private async list(): Promise<KubernetesListObject<Raw>> {
    const query = this.fieldSelector ? `?fieldSelector=${encodeURIComponent(this.fieldSelector)}` : '';
    // The same list read as `analyze --local` uses; items get their kind/apiVersion back, as watch events have.
    const got = await listObjects(
      this.opts.kc,
      `${this.path}${query}`,
      apiVersionOf(this.opts.info),
      this.opts.info.kind,
    );
    const items = got.items as Raw[];
    const list: KubernetesListObject<Raw> = {
      apiVersion: apiVersionOf(this.opts.info),
      kind: `${this.opts.info.kind}List`,
      metadata: { resourceVersion: got.resourceVersion },
      items,
    };
    this.opts.state.replaceScope(this.opts.info.key, this.opts.namespace, items, this.synced);
    this.lastActivity = Date.now();
    this.backoff.reset();
    if (!this.synced) {
      this.synced = true;
      this.opts.log.info(
        {
          event: 'watch_synced',
          kind: this.opts.info.kind,
          namespace: this.opts.namespace ?? null,
          objects: items.length,
        },
        `watching ${this.scope}`,
      );
      this.opts.onSynced();
    }
    return list;
  }

  private onObject(obj: Raw, deleted: boolean): void {
    this.lastActivity = Date.now();
    this.backoff.reset();
    if (this.lw === undefined) return;
    const plain: KubeObject = {
      ...obj,
      kind: obj.kind ?? this.opts.info.kind,
      apiVersion: obj.apiVersion ?? apiVersionOf(this.opts.info),
    };
    if (deleted) this.opts.state.remove(plain, this.synced);
    else this.opts.state.upsert(plain, this.synced);
  }

  private onError(lw: ListWatch<Raw> | undefined, err: unknown): void {
    if (this.stopped || lw !== this.lw || this.restartTimer) return;
    const message =
      err instanceof KubeApiError
        ? `HTTP ${err.status} ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    const delay = this.backoff.next();
    this.opts.log.warn(
      {
        event: 'watch_error',
        kind: this.opts.info.kind,
        namespace: this.opts.namespace ?? null,
        retry_ms: delay,
        err: message,
      },
      `watch of ${this.scope} failed; restarting`,
    );
    this.scheduleRestart('error', delay);
  }

  private checkSilence(): void {
    if (this.stopped || this.restartTimer) return;
    if (Date.now() - this.lastActivity < this.opts.watchdogMs) return;
    this.opts.log.warn(
      { event: 'watch_error', kind: this.opts.info.kind, namespace: this.opts.namespace ?? null },
      `watch of ${this.scope} silent for ${this.opts.watchdogMs} ms; restarting`,
    );
    this.scheduleRestart('silent', this.backoff.next());
  }

  /**
   * After an error the same ListWatch is started again: it resumes from its last resourceVersion
   * (or relists when it had none or gets 410). A silent watch is replaced by a new one, which relists.
   */
  private scheduleRestart(reason: 'error' | 'silent', delay: number): void {
    this.opts.onRestart?.(this.opts.info.kind);
    if (reason === 'silent') {
      void this.lw?.stop();
      this.lw = undefined;
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      this.opts.log.info(
        {
          event: 'watch_restarted',
          kind: this.opts.info.kind,
          namespace: this.opts.namespace ?? null,
          reason,
        },
        `watch of ${this.scope} restarted`,
      );
      this.lastActivity = Date.now();
      const lw = this.lw;
      const started = lw ? lw.start() : this.launch();
      started.catch((err: unknown) => this.onError(this.lw, err));
    }, delay);
    this.restartTimer.unref();
  }
}
