// All the watches the config asks for: each resource type, cluster-wide (minus the system
// namespaces) or once per listed namespace, feeding one LiveState.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { KindWatch } from './kind-watch.ts';
import { kindInfo } from './kinds.ts';
import { LiveState } from './live-state.ts';

export class ClusterWatch {
  readonly state = new LiveState();
  private readonly watches: KindWatch[] = [];
  private syncWaiters: (() => void)[] = [];

  constructor(kc: KubeConfig, config: KubernetesConfig, log: Logger) {
    const excluded = config.exclude_system_namespaces ? config.system_namespaces : [];
    const namespaces = config.namespaces.filter((ns) => !excluded.includes(ns));
    for (const kind of config.resource_types) {
      const info = kindInfo(kind);
      if (!info) continue; // validated at start (unknownKinds)
      const scopes = info.namespaced && namespaces.length > 0 ? namespaces : [undefined];
      for (const namespace of scopes) {
        this.watches.push(
          new KindWatch({
            kc,
            info,
            namespace,
            excludeNamespaces: excluded,
            state: this.state,
            log,
            watchdogMs: config.watchdog_timeout,
            onSynced: () => this.checkSynced(),
          }),
        );
      }
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.stop()));
    this.checkSynced();
  }

  synced(): boolean {
    return this.watches.every((w) => w.synced);
  }

  /** Resolves once every watch has loaded its first list (or at once if they have). */
  whenSynced(): Promise<void> {
    if (this.synced()) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** For readiness: which scopes still wait for their first list. */
  unsynced(): string[] {
    return this.watches.filter((w) => !w.synced).map((w) => w.scope);
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
