// Leader election on a coordination.k8s.io Lease, the way client-go's leaderelection does it:
// every replica polls the Lease each retry period; the holder renews it; another replica takes it
// over (an update guarded by resourceVersion, so two cannot both win) once it has seen the same
// Lease record unchanged for the lease duration, timed by its own clock (no trust in the holder's
// clock). A leader that cannot renew within the renew deadline (shorter than the lease duration)
// steps down before anyone else may take over, so two replicas never write at the same time.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { KubeApiError, kubeRequest } from '../../shared/node/kube/rest.ts';
import { errorMessage } from '../../shared/errors.ts';

export interface LeaderOptions {
  kc: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  now?: () => number;
}

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  spec: LeaseSpec;
}

export interface Leadership {
  leading: boolean;
  /** The identity holding the Lease as last seen, or null. */
  holder: string | null;
  identity: string;
}

/** MicroTime, as the API server stores it: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private leading = false;
  private holder: string | null = null;
  private observedRecord = '';
  private observedAt = 0;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private guard: NodeJS.Timeout | undefined;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly opts: LeaderOptions) {
    if (opts.renewDeadlineMs >= opts.leaseDurationMs)
      throw new Error('leader election: renew_deadline must be shorter than lease_duration');
    if (opts.retryPeriodMs >= opts.renewDeadlineMs)
      throw new Error('leader election: retry_period must be shorter than renew_deadline');
  }

  status(): Leadership {
    return { leading: this.leading, holder: this.holder, identity: this.opts.identity };
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.round = this.tryAcquireOrRenew()
        .catch((err: unknown) => this.failed(err))
        .finally(() => {
          this.round = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.opts.retryPeriodMs);
        });
    };
    tick();
    // A round that hangs (slow API server) must not keep a leader acting past its renew deadline.
    this.guard = setInterval(
      () => {
        if (this.leading && this.now() - this.lastRenew >= this.opts.renewDeadlineMs)
          this.stepDown(`no renewal within ${this.opts.renewDeadlineMs} ms`);
      },
      Math.max(100, Math.floor(this.opts.retryPeriodMs / 2)),
    );
    this.guard.unref();
  }

  /** Stops polling; a leader steps down and releases the Lease so a follower takes it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.guard);
    await this.round;
    if (!this.leading) return;
    this.stepDown('stopping');
    try {
      const lease = await this.get();
      if (lease && lease.spec.holderIdentity === this.opts.identity) {
        lease.spec.holderIdentity = null;
        lease.spec.leaseDurationSeconds = 1;
        lease.spec.renewTime = microTime(this.now());
        await this.put(lease);
      }
    } catch (err) {
      this.opts.log.warn(
        { event: 'leader_release_failed', err: errorMessage(err) },
        'could not release the Lease; a follower takes over when it expires',
      );
    }
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private path(name?: string): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.opts.namespace)}/leases`;
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  private async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: Lease) {
    const timeout = this.opts.retryPeriodMs * 2;
    return kubeRequest(this.opts.kc, path, body ? { method, body } : { method }, timeout);
  }

  private async get(): Promise<Lease | null> {
    const res = await this.send('GET', this.path(this.opts.name));
    return res.status === 404 ? null : (res.body as Lease);
  }

  /** true: written; false: someone else wrote first (409 Conflict). */
  private async put(lease: Lease): Promise<boolean> {
    return this.unlessConflict(() => this.send('PUT', this.path(this.opts.name), lease));
  }

  /** true: created; false: another replica created it first (409 AlreadyExists). */
  private async create(lease: Lease): Promise<boolean> {
    return this.unlessConflict(() => this.send('POST', this.path(), lease));
  }

  private async unlessConflict(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) return false;
      throw err;
    }
  }

  private ours(now: number, previous: LeaseSpec | null): LeaseSpec {
    const again = previous?.holderIdentity === this.opts.identity;
    return {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.opts.leaseDurationMs / 1000)),
      acquireTime: again ? (previous?.acquireTime ?? microTime(now)) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (again || !previous ? 0 : 1),
    };
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const now = this.now();
    const lease = await this.get();
    if (!lease) {
      const created = await this.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.opts.name,
          namespace: this.opts.namespace,
          labels: { 'app.kubernetes.io/name': 'driftguard' },
        },
        spec: this.ours(now, null),
      });
      if (created) this.renewed(now);
      return;
    }
    const record = JSON.stringify(lease.spec);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = now;
    }
    const holder = lease.spec.holderIdentity || null;
    const durationMs = (lease.spec.leaseDurationSeconds ?? 0) * 1000;
    this.holder = holder;
    if (holder !== null && holder !== this.opts.identity && now < this.observedAt + durationMs) {
      if (this.leading) this.stepDown(`the Lease is held by ${holder}`);
      return;
    }
    lease.spec = this.ours(now, lease.spec);
    if (await this.put(lease)) this.renewed(now);
    else this.failed(new Error('the Lease was changed by another replica'));
  }

  private renewed(now: number): void {
    this.lastRenew = now;
    this.holder = this.opts.identity;
    if (this.leading) return;
    this.leading = true;
    this.opts.log.info(
      {
        event: 'leader_elected',
        identity: this.opts.identity,
        lease: `${this.opts.namespace}/${this.opts.name}`,
      },
      `leading: this replica analyses and writes`,
    );
    this.opts.onStartedLeading();
  }

  private failed(err: unknown): void {
    const message = errorMessage(err);
    if (this.leading && this.now() - this.lastRenew >= this.opts.renewDeadlineMs) {
      this.stepDown(`no renewal within ${this.opts.renewDeadlineMs} ms: ${message}`);
      return;
    }
    this.opts.log.warn({ event: 'leader_election_error', err: message }, 'leader election round failed');
  }

  private stepDown(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    this.opts.log.warn(
      { event: 'leader_lost', identity: this.opts.identity, reason },
      `no longer leading: ${reason}`,
    );
    this.opts.onStoppedLeading();
  }
}
