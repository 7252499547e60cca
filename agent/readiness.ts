// The readiness text (/ready, and the API's health): one component per part — store, watches, Git
// and each source, permissions, the leader when there is an election, and memory against the
// container's limit (ready, with a warning when near it). Reads only.
import type { ComponentState } from './api/control.ts';
import type { Sources } from './git/sources.ts';
import type { ClusterWatch } from './kube/cluster-watch.ts';
import { scopeLabel } from './kube/permissions.ts';
import type { ResilientStore } from './store/resilient.ts';
import { memoryComponent, type MemoryState } from './memory/pressure.ts';

export interface ReadinessParts {
  store: Pick<ResilientStore, 'ping' | 'pendingWrites' | 'behindWrites'>;
  watch: Pick<ClusterWatch, 'unsynced' | 'issues' | 'broken' | 'deniedScopes' | 'unresolved' | 'counts'>;
  sources: Pick<Sources, 'list' | 'crossSourceDuplicates'>;
  /** Memory against the container's limit; absent: no memory component. */
  memory?: () => MemoryState;
  /** The confirm stage's state (drift.confirm and what the agent may dry-run); absent: not shown. */
  confirm?: () => ComponentState;
  /** sources_from: the GitOps objects read, and those not tracked; absent: not enabled. */
  discovery?: () => ComponentState[];
  /** Leader election state; absent: no election (no leader component). */
  leadership?: () => { leading: boolean; holder: string | null };
}

export async function readiness(parts: ReadinessParts): Promise<ComponentState[]> {
  const { watch, sources } = parts;
  const storeUp = await parts.store.ping().catch(() => false);
  const pending = parts.store.pendingWrites();
  // A first start's inserts still on their way (a stop now leaves them: analysed again next start).
  const behind = parts.store.behindWrites();
  const behindNote = behind > 0 ? `; ${behind} record(s) written behind, not yet stored` : '';
  const unsynced = watch.unsynced();
  const issues = watch.issues();
  const perSource = sources.list.map((s) => ({ source: s, status: s.status(), stats: s.sourceStatus() }));
  const notLoaded = perSource.filter((p) => !p.status.ready);
  const duplicates = sources.crossSourceDuplicates();
  const gitMessage =
    perSource.length === 1 && duplicates.length === 0
      ? (perSource[0]?.status.message ?? '')
      : [
          ...perSource.map((p) => `${p.source.name}: ${p.status.message}`),
          ...duplicates.map((d) => d.message),
        ].join('; ');
  const broken = watch.broken();
  const denied = watch.deniedScopes();
  return [
    {
      name: 'store',
      ready: storeUp,
      message: storeUp
        ? `reachable${pending > 0 ? `; ${pending} queued write(s)` : ''}${behindNote}`
        : `not reachable${pending > 0 ? `; ${pending} write(s) queued` : ''}${behindNote}`,
    },
    {
      name: 'watches',
      // A resource type discovery cannot resolve makes the agent unready; CRDs it cannot read are
      // said here too (custom resources are then left out rather than compared without defaults).
      ready: unsynced.length === 0 && broken.length === 0 && watch.unresolved().length === 0,
      message: [
        unsynced.length === 0
          ? `synced (${
              Object.entries(watch.counts())
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
    ...(parts.confirm ? [parts.confirm()] : []),
    ...(parts.discovery ? parts.discovery() : []),
    ...(parts.leadership ? [leaderState(parts.leadership())] : []),
    ...(parts.memory ? [memoryComponent(parts.memory())] : []),
  ];
}

function leaderState({ leading, holder }: { leading: boolean; holder: string | null }): ComponentState {
  return {
    name: 'leader',
    ready: true,
    message: leading ? 'leading' : holder ? `following ${holder}` : 'following (no leader yet)',
  };
}
