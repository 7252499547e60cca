// The GitOps controllers' objects, followed (sources_from): each kind is listed cluster-wide and
// then watched; any change re-reads them all (they are few) and the ConfigMaps they name, and hands
// the discovered sources on. A periodic re-read catches ConfigMap edits and a watch that ended.
// A kind whose CRD is not installed is said in /ready and looked for again; a list the agent may
// not read makes the component not ready. Reads only.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { ComponentState } from '../api/control.ts';
import { kubeGet } from '../../shared/node/kube/rest.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { JsonObject } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import type { DiscoverContext, DiscoveredSource } from './discovered.ts';
import { CONTROLLER_KINDS, type Controller, type ControllerKind } from './kinds.ts';
import { discoverSources, referencedConfigMaps, type ControllerObjects } from './translate.ts';
import { obj, str } from './discovered.ts';

/** Changes arriving together are read once. */
const SETTLE_MS = 200;

export interface GitopsDiscoveryOptions {
  kc: KubeConfig;
  controllers: readonly Controller[];
  context: Omit<DiscoverContext, 'configMap'>;
  log: Logger;
  /** The periodic re-read. */
  intervalMs: number;
  onChange: (found: DiscoveredSource[]) => void;
}

type KindState = { listed: number } | { missing: true } | { error: string };

export class GitopsDiscovery {
  private readonly kinds: ControllerKind[];
  private state = new Map<string, KindState>();
  private found: DiscoveredSource[] = [];
  private lastKey = '';
  private timer: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private watches = new Map<string, AbortController>();
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: GitopsDiscoveryOptions) {
    this.kinds = CONTROLLER_KINDS.filter((k) => opts.controllers.includes(k.controller));
  }

  /** The first read (resolves when its sources are handed on), then watches and the periodic re-read. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.settle);
    for (const w of this.watches.values()) w.abort();
    this.watches.clear();
  }

  /** One read at a time; a call meanwhile reads once more after it. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll()
      .catch((err: unknown) =>
        this.opts.log.error(
          { event: 'sources_from_failed', err: errorMessage(err) },
          'reading the GitOps objects failed',
        ),
      )
      .finally(() => {
        this.reading = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.reading;
  }

  /** The component `sources_from`, then one per discovered object that is not tracked at all. */
  readiness(): ComponentState[] {
    const problems: string[] = [];
    const counts: string[] = [];
    for (const k of this.kinds) {
      const s = this.state.get(k.kind);
      if (!s) counts.push(`${k.kind}: not read yet`);
      else if ('listed' in s) counts.push(`${k.kind}: ${s.listed}`);
      else if ('missing' in s) counts.push(`${k.kind}: no CRD in the cluster`);
      else problems.push(`${k.kind}: ${s.error}`);
    }
    return [
      {
        name: 'sources_from',
        ready: problems.length === 0 && this.state.size === this.kinds.length,
        message: [...counts, ...problems].join('; '),
      },
      ...this.found
        .filter((d) => d.spec === null)
        .map((d): ComponentState => ({
          name: `source:${d.name}`,
          // The agent runs fine; this object is just not something it can compare.
          ready: true,
          message: `not tracked: ${d.unsupported.join('; ')}`,
        })),
    ];
  }

  private async readAll(): Promise<void> {
    const objects: ControllerObjects = {
      Application: [],
      GitRepository: [],
      HelmRepository: [],
      OCIRepository: [],
      Kustomization: [],
      HelmRelease: [],
    };
    for (const k of this.kinds) {
      const items = await this.list(k);
      if (items) objects[k.kind as keyof ControllerObjects] = items;
    }
    const configMaps = new Map<string, Record<string, string>>();
    for (const ref of referencedConfigMaps(objects)) {
      const [ns = '', name = ''] = ref.split('/');
      const res = await kubeGet(
        this.opts.kc,
        `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`,
      ).catch(() => null);
      if (res?.status === 200) {
        const data: Record<string, string> = {};
        for (const [key, v] of Object.entries(obj((res.body as JsonObject)['data'])))
          if (typeof v === 'string') data[key] = v;
        configMaps.set(ref, data);
      }
    }
    const found = discoverSources(objects, {
      ...this.opts.context,
      configMap: (ns, name) => configMaps.get(`${ns}/${name}`),
    });
    const key = JSON.stringify(found);
    if (key === this.lastKey || this.stopped) return;
    this.lastKey = key;
    this.found = found;
    this.opts.log.info(
      {
        event: 'sources_discovered',
        sources: found.map((d) => d.name),
        not_tracked: found.filter((d) => d.spec === null).map((d) => d.name),
      },
      `sources from GitOps objects: ${found.map((d) => d.name).join(', ') || 'none'}`,
    );
    this.opts.onChange(found);
  }

  /** Lists a kind; null when it cannot be (its state says why). Opens its watch when none is open. */
  private async list(k: ControllerKind): Promise<JsonObject[] | null> {
    try {
      const res = await kubeGet(this.opts.kc, k.path);
      if (res.status === 404) {
        this.state.set(k.kind, { missing: true });
        return [];
      }
      const body = obj(res.body as JsonObject);
      const items = (Array.isArray(body['items']) ? body['items'] : []).map((i) => obj(i));
      this.state.set(k.kind, { listed: items.length });
      this.watch(k, str(obj(body['metadata'])['resourceVersion']) ?? '');
      return items;
    } catch (err) {
      this.state.set(k.kind, { error: errorMessage(err) });
      this.opts.log.warn(
        { event: 'sources_from_failed', kind: k.kind, err: errorMessage(err) },
        `cannot list ${k.kind} for sources_from; its sources are kept as they were read last`,
      );
      return null;
    }
  }

  private watch(k: ControllerKind, resourceVersion: string): void {
    if (this.watches.has(k.kind) || this.stopped) return;
    const changed = (): void => {
      clearTimeout(this.settle);
      this.settle = setTimeout(() => void this.refresh(), SETTLE_MS);
    };
    const ended = (): void => {
      // The next periodic read opens it again.
      this.watches.delete(k.kind);
    };
    new Watch(this.opts.kc)
      .watch(
        k.path,
        { resourceVersion, allowWatchBookmarks: true },
        (type) => {
          if (type !== 'BOOKMARK') changed();
        },
        ended,
      )
      .then((ctl) => {
        if (this.stopped) ctl.abort();
        else this.watches.set(k.kind, ctl);
      })
      .catch(ended);
  }
}
