// One list+watch of one kind in one scope, kept alive. The initial state is streamed where the
// server allows it (watch-list: `sendInitialEvents=true`, one ADDED event per object, then a
// bookmark annotated `k8s.io/initial-events-end`), so the API server serves it from its watch
// cache object by object instead of building a list response in memory; where it refuses (the
// WatchList feature gate off, an aggregated API without it) the state is listed in pages
// (`limit`/`continue`) so 100,000 objects never arrive as one response. Either way each object
// goes into the live state (which keeps only tracked objects whole) as it arrives. The watch
// resumes from the last resourceVersion (bookmarks keep it fresh), relists on 410 Gone, restarts
// with backoff on any other error, and a watchdog restarts a watch that has gone silent. Not
// client-node's ListWatch: it keeps a second whole copy of every object in its own cache (and
// client-node's informers have no watch-list). The stream is read over HTTP/1.1, uncompressed
// (shared/node/kube/watch-stream.ts says why).
import type { KubeConfig } from '@kubernetes/client-node';
import { Backoff } from '../../shared/backoff.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { listObjects } from '../../shared/node/kube/live.ts';
import { KubeApiError, kubeGet } from '../../shared/node/kube/rest.ts';
import { openWatch, type WatchRequest } from '../../shared/node/kube/watch-stream.ts';
import { apiVersionOf, collectionPath, type KindInfo } from './kinds.ts';
import { liveId, type LiveState } from './live-state.ts';

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
  /** Called for each relist after the first list: 410 Gone, or a silent watch (metrics). */
  onRelist?: (kind: string, reason: RelistReason) => void;
  /** Objects per list page (default 500, as kubectl pages). */
  pageSize?: number;
  /** Stream the initial state with watch-list when the server allows (default true). */
  watchList?: boolean;
}

/** The bookmark annotation that ends a watch-list's initial events (KEP-3157). */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** A watch-list refused as a request the server does not accept (feature gate off, old server). */
function refusesWatchList(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 400 || err.status === 422);
}

/** Why a watch lists again: its resourceVersion is too old (410 Gone), or it went silent. */
export type RelistReason = 'gone' | 'silent';

/** Restart pacing after a failed or silent watch: 500 ms doubling to 30 s, with jitter. */
const RESTART_BACKOFF = { initialMs: 500, maxMs: 30_000 };

interface WatchEventObject {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string> };
  code?: number;
}

/** The initial events of a watch-list under way: what arrived, and how to end the wait for them. */
interface Streaming {
  seen: Set<string>;
  total: number;
  /** Any event has arrived (a refusal after one is not a refusal of watch-list). */
  started: boolean;
  done: (end: StreamEnd) => void;
}

/** How a watch-list's initial phase ended: complete, cut short, or refused by the server. */
type StreamEnd = 'complete' | 'ended' | 'refused';

/** Every failure of a list or a watch is a KubeApiError or a plain Error (openWatch, kubeGet). */
function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 410;
}

export class KindWatch {
  synced = false;
  /**
   * Why the watch is down right now (set by an error, cleared once it is connected again or
   * delivers anything): readiness must say so while it lasts, not only before the first list.
   */
  failure: string | undefined;
  private stopped = false;
  private readonly backoff = new Backoff(RESTART_BACKOFF);
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastActivity = Date.now();
  /** Bumped on every (re)start: callbacks of an older watch are ignored. */
  private generation = 0;
  private request: WatchRequest | undefined;
  /** Where the watch resumes; empty means relist first. */
  private resourceVersion = '';
  private readonly path: string;
  private readonly fieldSelector: string | undefined;
  /** Whether the initial state is streamed (watch-list); false once the server refused it. */
  private streamList: boolean;
  private streaming: Streaming | undefined;

  constructor(private readonly opts: KindWatchOptions) {
    this.path = collectionPath(opts.info, opts.namespace);
    const exclusions = opts.info.namespaced && opts.namespace === undefined ? opts.excludeNamespaces : [];
    this.fieldSelector =
      exclusions.length > 0 ? exclusions.map((ns) => `metadata.namespace!=${ns}`).join(',') : undefined;
    this.streamList = opts.watchList ?? true;
  }

  /** How the initial state is read now: streamed (watch-list) or listed in pages. */
  get initialMode(): 'watch-list' | 'paged-list' {
    return this.streamList ? 'watch-list' : 'paged-list';
  }

  get key(): string {
    return this.opts.info.key;
  }

  get namespace(): string | undefined {
    return this.opts.namespace;
  }

  /** Whether this watch feeds that live view. */
  feeds(state: LiveState): boolean {
    return this.opts.state === state;
  }

  get target(): { info: KindWatchOptions['info']; namespace?: string } {
    return this.opts.namespace === undefined
      ? { info: this.opts.info }
      : { info: this.opts.info, namespace: this.opts.namespace };
  }

  get scope(): string {
    return `${this.opts.info.key}${this.opts.namespace === undefined ? '' : ` in ${this.opts.namespace}`}`;
  }

  /** Resolves once the first list has loaded and the watch is under way (or failed and will retry). */
  async start(): Promise<void> {
    this.stopped = false;
    const watchdogEvery = Math.max(1000, Math.floor(this.opts.watchdogMs / 4));
    this.watchdog = setInterval(() => this.checkSilence(), watchdogEvery);
    this.watchdog.unref();
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    this.abandonStreaming();
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    this.request?.abort();
    this.request = undefined;
  }

  /** Reads one object whole (for objects Git starts to name after they were listed light). */
  async fetch(namespace: string, name: string): Promise<KubeObject | null> {
    const base = collectionPath(this.opts.info, this.opts.info.namespaced ? namespace : undefined);
    const res = await kubeGet(this.opts.kc, `${base}/${encodeURIComponent(name)}`);
    if (res.status === 404) return null;
    return {
      ...(res.body as KubeObject),
      kind: this.opts.info.kind,
      apiVersion: apiVersionOf(this.opts.info),
    };
  }

  /** Lists when needed, then opens the watch. Errors schedule a restart with backoff. */
  private async launch(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.lastActivity = Date.now();
    try {
      const stream = !this.resourceVersion && this.streamList;
      if (!this.resourceVersion && !stream) await this.list(generation);
      if (generation !== this.generation) return;
      const query: Record<string, string | boolean> = stream
        ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }
        : { resourceVersion: this.resourceVersion, allowWatchBookmarks: true };
      if (this.fieldSelector !== undefined) query['fieldSelector'] = this.fieldSelector;
      const initial = stream ? this.beginStreaming() : undefined;
      const request = await openWatch(
        this.opts.kc,
        this.path,
        query,
        (type, obj) => this.onEvent(generation, type, obj as KubeObject & WatchEventObject),
        (err) => this.onDone(generation, err),
      );
      if (generation === this.generation) {
        this.request = request;
        // Connected again: readiness stops saying the watch is down.
        this.failure = undefined;
      } else request.abort();
      // As with a list, the launch ends once the initial state is in (or the stream ended early).
      if ((await initial) === 'refused' && generation === this.generation) {
        this.streamList = false;
        this.opts.log.info(
          {
            event: 'watch_list_unsupported',
            kind: this.opts.info.kind,
            namespace: this.opts.namespace ?? null,
          },
          `the server does not stream the initial state of ${this.scope} (watch-list); listing it in pages`,
        );
        await this.launch();
      }
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    }
  }

  /** Starts collecting a watch-list's initial events; resolves when they end or the watch does. */
  private beginStreaming(): Promise<StreamEnd> {
    return new Promise<StreamEnd>((resolve) => {
      this.streaming = { seen: new Set(), total: 0, started: false, done: resolve };
    });
  }

  /** The initial events are complete: what was not among them is gone, as after a list. */
  private endStreaming(resourceVersion: string): void {
    const s = this.streaming;
    if (!s) return;
    this.streaming = undefined;
    this.opts.state.removeUnseen(this.opts.info.key, this.opts.namespace, s.seen, this.synced);
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.markSynced(s.total);
    s.done('complete');
  }

  /** A watch-list that ended before its initial events did: the next launch starts over. */
  private abandonStreaming(end: StreamEnd = 'ended'): void {
    const s = this.streaming;
    this.streaming = undefined;
    s?.done(end);
  }

  /** The paged list; each page goes into the live state at once, the missing are removed at the end. */
  private async list(generation: number): Promise<void> {
    const notify = this.synced;
    const seen = new Set<string>();
    const limit = this.opts.pageSize ?? 500;
    let token: string | undefined;
    let resourceVersion = '';
    let total = 0;
    do {
      const params = new URLSearchParams({ limit: String(limit) });
      if (this.fieldSelector) params.set('fieldSelector', this.fieldSelector);
      if (token) params.set('continue', token);
      // The same list read as `analyze --local` uses; items get their kind/apiVersion back, as watch events have.
      const page = await listObjects(
        this.opts.kc,
        `${this.path}?${params}`,
        apiVersionOf(this.opts.info),
        this.opts.info.kind,
      );
      if (generation !== this.generation) return;
      // All pages of one list are at the first page's resourceVersion; the watch starts there.
      if (!token) resourceVersion = page.resourceVersion;
      for (const obj of page.items) {
        seen.add(liveId(obj));
        this.opts.state.upsert(obj, notify);
        total++;
      }
      token = page.continue || undefined;
      this.lastActivity = Date.now();
    } while (token);
    this.opts.state.removeUnseen(this.opts.info.key, this.opts.namespace, seen, notify);
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.markSynced(total);
  }

  private markSynced(total: number): void {
    if (!this.synced) {
      this.synced = true;
      this.opts.log.info(
        {
          event: 'watch_synced',
          kind: this.opts.info.kind,
          namespace: this.opts.namespace ?? null,
          objects: total,
          initial: this.initialMode,
        },
        `watching ${this.scope}`,
      );
      this.opts.onSynced();
    }
  }

  private onEvent(generation: number, type: string, obj: KubeObject & WatchEventObject): void {
    if (generation !== this.generation) return;
    this.lastActivity = Date.now();
    this.failure = undefined;
    this.backoff.reset();
    if (type === 'ERROR') {
      // The resourceVersion is too old (410): relist when this watch ends.
      if (obj.code === 410) this.relist('gone');
      return;
    }
    const rv = obj.metadata?.resourceVersion;
    const streaming = this.streaming;
    if (streaming) streaming.started = true;
    if (type === 'BOOKMARK') {
      if (streaming) {
        if (obj.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') this.endStreaming(rv ?? '');
      } else if (rv) this.resourceVersion = rv;
      return;
    }
    const plain: KubeObject = {
      ...obj,
      kind: obj.kind ?? this.opts.info.kind,
      apiVersion: obj.apiVersion ?? apiVersionOf(this.opts.info),
    };
    if (type === 'DELETED') this.opts.state.remove(plain, this.synced);
    else this.opts.state.upsert(plain, this.synced);
    if (streaming) {
      // Initial events come in no resourceVersion order: the watch resumes only from the end bookmark.
      if (type !== 'DELETED') streaming.seen.add(liveId(plain));
      streaming.total++;
      return;
    }
    if (rv) this.resourceVersion = rv;
  }

  /** The watch ended: a normal end or a client timeout resumes at once, 410 relists, else backoff. */
  private onDone(generation: number, err: unknown): void {
    if (generation !== this.generation || this.stopped) return;
    this.request = undefined;
    const streaming = this.streaming;
    if (streaming && !streaming.started && refusesWatchList(err)) {
      // launch() falls back to paged lists (it waits on this stream).
      this.abandonStreaming('refused');
      return;
    }
    this.abandonStreaming();
    if (isGone(err)) this.relist('gone');
    const timeout = (err as { name?: unknown } | null)?.name === 'TimeoutError';
    if (err && !isGone(err) && !timeout) {
      this.onError(err);
      return;
    }
    void this.launch();
  }

  private onError(err: unknown): void {
    if (this.stopped || this.restartTimer) return;
    if (isGone(err)) this.relist('gone');
    const message =
      err instanceof KubeApiError
        ? `HTTP ${err.status} ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    this.failure = message;
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

  /**
   * Forgets the resourceVersion so the next launch lists again, and says so (log line and
   * metric): a relist is how a watch recovers from a gap, so it must be visible when it happens.
   */
  private relist(reason: RelistReason): void {
    if (!this.resourceVersion) return;
    const from = this.resourceVersion;
    this.resourceVersion = '';
    this.opts.onRelist?.(this.opts.info.kind, reason);
    this.opts.log.info(
      {
        event: 'watch_relist',
        kind: this.opts.info.kind,
        namespace: this.opts.namespace ?? null,
        reason,
        resource_version: from,
      },
      reason === 'gone'
        ? `resourceVersion ${from} of ${this.scope} is too old (410 Gone); relisting`
        : `watch of ${this.scope} went silent; relisting`,
    );
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
   * After an error the watch resumes from its last resourceVersion (or relists when it has none).
   * A silent watch relists: events may have been lost on a connection that looked open.
   */
  private scheduleRestart(reason: 'error' | 'silent', delay: number): void {
    this.opts.onRestart?.(this.opts.info.kind);
    this.generation++;
    this.abandonStreaming();
    this.request?.abort();
    this.request = undefined;
    if (reason === 'silent') this.relist('silent');
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
      void this.launch();
    }, delay);
    this.restartTimer.unref();
  }
}
