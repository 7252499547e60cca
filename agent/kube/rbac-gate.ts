// The agent's own permission check before watches start: a scope it may not list or watch
// (SelfSubjectAccessReview) is held back and named, so every other scope syncs and is analysed.
// Held watches are asked about again every `recheckMs`; a later RBAC grant starts them.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import type { KindWatch } from './kind-watch.ts';
import { deniedScopes, type Denied } from './permissions.ts';

export class RbacGate {
  /** Scopes the agent may not read: not watched, not analysed. */
  private denied: Denied[] = [];
  /** Their watches, started once a re-check finds the permission granted. */
  private held: KindWatch[] = [];
  private recheck: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly log: Logger,
    private readonly recheckMs: number,
    /** Told of the held watches a re-check found granted (to start them). */
    private readonly onGranted: (granted: KindWatch[]) => Promise<void>,
  ) {}

  /** Asks about the scopes of `candidates`; returns those denied, now held. */
  async check(candidates: readonly KindWatch[]): Promise<KindWatch[]> {
    const denied = await deniedScopes(
      this.kc,
      candidates.map((w) => w.target),
      this.log,
    );
    if (denied.length === 0) return [];
    this.denied.push(...denied);
    const held = this.hold(candidates);
    if (!this.recheck) {
      this.recheck = setInterval(() => void this.recheckHeld(), this.recheckMs);
      this.recheck.unref();
    }
    return held;
  }

  /** Holds the watches among `candidates` of scopes already known to be denied; returns them. */
  hold(candidates: readonly KindWatch[]): KindWatch[] {
    const denied = candidates.filter((w) => this.denies(w.key, w.target.namespace ?? ''));
    this.held.push(...denied);
    return denied;
  }

  /** Scopes the agent may not read, for readiness and the log. */
  deniedScopes(): readonly Denied[] {
    return this.denied;
  }

  /** Denied by RBAC: this kind cluster-wide, or in this namespace (a per-namespace watch). */
  denies(key: string, namespace: string): boolean {
    return this.denied.some((d) => d.key === key && (d.namespace === null || d.namespace === namespace));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.recheck);
  }

  /** Starts the held watches whose permission has been granted since. */
  private async recheckHeld(): Promise<void> {
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
    for (const w of granted)
      this.log.info(
        { event: 'permission_granted', kind: w.key, namespace: w.target.namespace ?? null },
        `may now read ${w.scope}: watching it`,
      );
    if (this.held.length === 0) clearInterval(this.recheck);
    await this.onGranted(granted);
  }
}
