// One audit.k8s.io/v1 Event as the audit join keeps it: a finished, successful write to an object
// of a watched kind (the only kind of event that can cause drift), with who made it. Pure.
import { resourceId, type AuditEvent } from '../../shared/types.ts';

/** A write the API server audited, as the join needs it. */
export interface AuditWrite {
  resource_id: string;
  verb: 'create' | 'update' | 'patch' | 'delete';
  /** When the API server finished the write (stageTimestamp), ms since the epoch. */
  time: number;
  /** The object's resourceVersion after the write (only in RequestResponse-level events). */
  resource_version: string | null;
  manager: string | null;
  /**
   * The request named its field manager (`?fieldManager=`). When it did not, `manager` is the user
   * agent's first part (`kubectl`), and a command may still have written under a longer name:
   * `kubectl scale` sends no fieldManager yet managedFields says `kubectl-scale`.
   */
  explicit_manager: boolean;
  user: string;
  groups: string[];
  impersonated_by: string | null;
  user_agent: string | null;
  source_ips: string[];
  audit_id: string;
}

const WRITES = new Set(['create', 'update', 'patch', 'delete']);
/** Subresources whose writes change what DriftGuard compares (status is never compared). */
const SUBRESOURCES = new Set(['', 'scale']);
/** The API server's limit on a field manager's name (validation.FieldManagerMaxLength). */
const MANAGER_MAX = 128;

function fieldManagerParam(requestURI: string | undefined): string | null {
  const q = requestURI?.indexOf('?') ?? -1;
  return q >= 0 ? new URLSearchParams(requestURI?.slice(q + 1)).get('fieldManager') || null : null;
}

/**
 * The field manager the API server recorded for the write: the request's `fieldManager`, else the
 * user agent up to its first `/` with non-printable characters dropped, as the API server derives
 * it (prefixFromUserAgent in k8s.io/apiserver's handlers).
 */
export function managerOf(requestURI: string | undefined, userAgent: string | undefined): string | null {
  const manager = fieldManagerParam(requestURI);
  if (manager) return manager;
  if (!userAgent) return null;
  // eslint-disable-next-line no-control-regex -- the API server drops exactly these
  const prefix = (userAgent.split('/')[0] ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return prefix.slice(0, MANAGER_MAX) || null;
}

/**
 * The write an event records, or null when it is not a finished successful write to an object of
 * a watched kind. `kindOf(group, resource)` names the watched kind key of a resource (`deployments`
 * in `apps` → `Deployment`), undefined when the kind is not watched.
 */
export function auditWrite(
  event: AuditEvent,
  kindOf: (group: string, resource: string) => string | undefined,
): AuditWrite | null {
  if (event.stage !== 'ResponseComplete' || !WRITES.has(event.verb)) return null;
  const code = event.responseStatus?.code;
  if (code === undefined || code < 200 || code > 299) return null;
  const ref = event.objectRef;
  if (!ref?.resource || !ref.name || !SUBRESOURCES.has(ref.subresource ?? '')) return null;
  const kind = kindOf(ref.apiGroup ?? '', ref.resource);
  if (!kind) return null;
  const time = Date.parse(event.stageTimestamp ?? event.requestReceivedTimestamp ?? '');
  if (Number.isNaN(time)) return null;
  const impersonated = event.impersonatedUser?.username;
  const real = event.user.username ?? 'unknown';
  return {
    resource_id: resourceId(kind, ref.namespace ?? '', ref.name),
    verb: event.verb as AuditWrite['verb'],
    time,
    resource_version: event.responseObject?.metadata?.resourceVersion ?? null,
    manager: event.verb === 'delete' ? null : managerOf(event.requestURI, event.userAgent),
    explicit_manager: event.verb !== 'delete' && fieldManagerParam(event.requestURI) !== null,
    user: impersonated ?? real,
    groups: (impersonated ? event.impersonatedUser?.groups : event.user.groups) ?? [],
    impersonated_by: impersonated ? real : null,
    user_agent: event.userAgent ?? null,
    source_ips: event.sourceIPs ?? [],
    audit_id: event.auditID,
  };
}
