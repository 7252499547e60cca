// Records and events the API suite seeds through the Store: active drifts of every severity, a
// resolved one, in-sync ones, and a cluster-scoped object, across two namespaces.
import type { DriftEvent, DriftRecord, DriftType, Severity } from '../../shared/types.ts';

const HOUR = 3600_000;
const at = (hoursAgo: number): string => new Date(Date.now() - hoursAgo * HOUR).toISOString();

interface Shape {
  kind: string;
  namespace: string;
  name: string;
  status: 'none' | 'active' | 'resolved';
  type?: DriftType;
  severity?: Severity;
  source?: string;
}

function record(s: Shape): DriftRecord {
  const active = s.status === 'active';
  const type = active ? (s.type ?? null) : null;
  const severity = active ? (s.severity ?? null) : null;
  return {
    cluster: 'default',
    resource_id: `${s.kind}:${s.namespace}:${s.name}`,
    kind: s.kind,
    namespace: s.namespace,
    name: s.name,
    api_version: s.kind === 'Deployment' ? 'apps/v1' : 'v1',
    source: s.source ?? 'default',
    drift_detected: active,
    drift_status: s.status,
    drift_type: type,
    severity,
    drift_details:
      active && type && severity
        ? [
            {
              path: 'spec.replicas',
              type,
              severity,
              desired: 3,
              live: 5,
              manager: 'kubectl-scale',
              changed_at: at(2),
            },
          ]
        : [],
    desired_hash: 'sha256:desired',
    live_hash: active ? 'sha256:live' : 'sha256:desired',
    git_commit: 'abc1234',
    source_file: `apps/${s.name}.yaml`,
    first_detected: s.status === 'none' ? null : at(3),
    last_checked: at(0.1),
    resolved_at: s.status === 'resolved' ? at(1) : null,
    last_known_good_hash: 'sha256:desired',
    resolution_message: s.status === 'resolved' ? 'data back to Git (kubectl-edit)' : null,
  };
}

export const RECORDS: DriftRecord[] = [
  record({
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    status: 'active',
    type: 'Scaling',
    severity: 'high',
  }),
  record({
    kind: 'Deployment',
    namespace: 'shop',
    name: 'api',
    status: 'active',
    type: 'VersionChange',
    severity: 'medium',
  }),
  record({ kind: 'ConfigMap', namespace: 'shop', name: 'settings', status: 'resolved' }),
  record({ kind: 'Service', namespace: 'billing', name: 'gateway', status: 'none' }),
  record({
    kind: 'Secret',
    namespace: 'billing',
    name: 'creds',
    status: 'active',
    type: 'SecretChange',
    severity: 'low',
  }),
  record({ kind: 'Namespace', namespace: '', name: 'shop', status: 'none' }),
];

function event(
  r: DriftRecord,
  kind: DriftEvent['event'],
  hoursAgo: number,
  from: DriftEvent['from_status'],
  to: DriftEvent['to_status'],
): DriftEvent {
  const time = at(hoursAgo);
  return {
    event_id: `${r.resource_id}|${kind}|${time}`,
    cluster: 'default',
    resource_id: r.resource_id,
    event: kind,
    from_status: from,
    to_status: to,
    time,
    drift_type: r.drift_type ?? 'ConfigMapChange',
    severity: r.severity ?? 'medium',
    kind: r.kind,
    namespace: r.namespace,
    source: r.source,
    message: `${kind} ${r.name}`,
  };
}

export function byId(id: string): DriftRecord {
  const found = RECORDS.find((r) => r.resource_id === id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
}

/** Per record, its events oldest first (saveRecord is called once per event, in this order). */
export const EVENTS: DriftEvent[] = [
  event(byId('Deployment:shop:web'), 'detected', 3, 'none', 'active'),
  event(byId('Deployment:shop:web'), 'updated', 2, 'active', 'active'),
  event(byId('Deployment:shop:api'), 'detected', 3, 'none', 'active'),
  event(byId('ConfigMap:shop:settings'), 'detected', 3, 'none', 'active'),
  event(byId('ConfigMap:shop:settings'), 'resolved', 1, 'active', 'resolved'),
  event(byId('Secret:billing:creds'), 'detected', 3, 'none', 'active'),
];
