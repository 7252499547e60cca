// Leader election, wired: the replica's identity (on its Lease and its Events) and what changes when
// it starts or stops leading. A follower serves the API from the store and keeps its watches and
// Git current, so it can take over at once; it analyses and writes nothing until it holds the Lease.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Scheduler } from './analysis/scheduler.ts';
import type { AgentConfig } from './config/schema.ts';
import type { loadKubeConfig } from './kube/client.ts';
import { LeaderElector } from './kube/leader.ts';
import type { Logger } from './log.ts';
import type { AgentMetrics } from './metrics.ts';
import type { ResilientStore } from './store/resilient.ts';

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** The pod's namespace, from its service account mount (in-cluster only). */
export function podNamespace(config: AgentConfig): string | undefined {
  if (!config.kubernetes.in_cluster || !existsSync(SA_NAMESPACE_FILE)) return undefined;
  return readFileSync(SA_NAMESPACE_FILE, 'utf8').trim() || undefined;
}

/**
 * This replica's identity: leader_election.identity, else the host name (in a pod, the pod name);
 * outside a cluster, two agents on one host need the pid too.
 */
export function leaseIdentity(config: AgentConfig): string {
  return (
    config.leader_election.identity ??
    (config.kubernetes.in_cluster ? hostname() : `${hostname()}-${process.pid}`)
  );
}

export interface LeadershipDeps {
  config: AgentConfig;
  kc: ReturnType<typeof loadKubeConfig>;
  identity: string;
  log: Logger;
  metrics: AgentMetrics;
  store: ResilientStore;
  scheduler: Pick<Scheduler, 'setActive'>;
}

/** The elector when leader_election.enabled (the replica starts as a follower); else undefined. */
export function leaderElection(deps: LeadershipDeps): LeaderElector | undefined {
  const { config, metrics, store, scheduler } = deps;
  const election = config.leader_election;
  if (!election.enabled) {
    metrics.leader.set(1);
    return undefined;
  }
  scheduler.setActive(false);
  // A follower's reads go to the database the leader writes; see ResilientStore.setExclusive.
  store.setExclusive(false);
  metrics.leader.set(0);
  return new LeaderElector({
    kc: deps.kc,
    namespace: election.namespace ?? podNamespace(config) ?? 'driftguard',
    name: election.lease_name,
    identity: deps.identity,
    leaseDurationMs: election.lease_duration,
    renewDeadlineMs: election.renew_deadline,
    retryPeriodMs: election.retry_period,
    log: deps.log,
    onStartedLeading: () => {
      metrics.leader.set(1);
      store.setExclusive(!config.database.shared);
      scheduler.setActive(true);
    },
    onStoppedLeading: () => {
      metrics.leader.set(0);
      store.setExclusive(false);
      scheduler.setActive(false);
    },
  });
}
