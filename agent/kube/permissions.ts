// The agent's own permission check at start: for each scope it is about to watch, may it list and
// watch there? Asked of the API server's authorizer with SelfSubjectAccessReview, which every
// authenticated user may create (ClusterRole system:basic-user), so the answer is the one the
// watch itself would get. A scope it may not read is left out and named; every other is watched.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { kubeRequest } from '../../shared/node/kube/rest.ts';
import type { KindInfo } from './kinds.ts';
import { errorMessage } from '../../shared/errors.ts';

export interface WatchScope {
  info: KindInfo;
  /** Undefined: cluster-wide. */
  namespace?: string;
}

export interface Denied {
  /** The kind key (`Deployment`, `Gateway.gateway.networking.k8s.io`). */
  key: string;
  kind: string;
  namespace: string | null;
  verbs: string[];
  reason: string;
}

const VERBS = ['list', 'watch'] as const;

interface ReviewStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/** May this identity `verb` in `scope`? (also asked for the confirm stage's dry-run create). */
export async function allowed(
  kc: KubeConfig,
  scope: WatchScope,
  verb: string,
): Promise<{ allowed: boolean; reason: string }> {
  const res = await kubeRequest(kc, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    method: 'POST',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          group: scope.info.group,
          version: scope.info.version,
          resource: scope.info.plural,
          verb,
          ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
        },
      },
    },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`SelfSubjectAccessReview: HTTP ${res.status}`);
  const status = (res.body as ReviewStatus).status;
  return {
    allowed: status?.allowed === true,
    reason: status?.reason || status?.evaluationError || 'no RBAC rule allows it',
  };
}

export function scopeLabel(s: { key: string; namespace: string | null }): string {
  return s.namespace === null ? `${s.key} (cluster-wide)` : `${s.key} in ${s.namespace}`;
}

/**
 * The scopes among `scopes` the agent may not list or watch. A review that cannot be asked (an old
 * API server, a network error) counts as allowed: the watch then reports its own error, as before.
 */
export async function deniedScopes(
  kc: KubeConfig,
  scopes: WatchScope[],
  log: Logger,
  /** false for a re-check: each denied scope was logged when it was first found. */
  report = true,
): Promise<Denied[]> {
  const results = await Promise.all(
    scopes.map(async (scope): Promise<Denied | null> => {
      try {
        const answers = await Promise.all(VERBS.map((verb) => allowed(kc, scope, verb)));
        const denied = VERBS.filter((_, i) => !answers[i]?.allowed);
        if (denied.length === 0) return null;
        return {
          key: scope.info.key,
          kind: scope.info.kind,
          namespace: scope.namespace ?? null,
          verbs: [...denied],
          reason: answers.find((a) => !a.allowed)?.reason ?? '',
        };
      } catch (err) {
        log.warn(
          {
            event: 'permission_check_failed',
            kind: scope.info.kind,
            namespace: scope.namespace ?? null,
            err: errorMessage(err),
          },
          'could not check permissions; watching anyway',
        );
        return null;
      }
    }),
  );
  const denied = results.filter((d): d is Denied => d !== null);
  if (report)
    for (const d of denied)
      log.error(
        {
          event: 'permission_denied',
          kind: d.kind,
          namespace: d.namespace,
          verbs: d.verbs,
          reason: d.reason,
        },
        `forbidden to ${d.verbs.join(' and ')} ${scopeLabel(d)}: not analysed; grant get/list/watch on it or remove it from kubernetes.resource_types`,
      );
  return denied;
}
