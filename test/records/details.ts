// Builders of engine results and details for the tests of records and stores (not used at runtime).
import type { DriftDetail, DriftResult } from '../../shared/types.ts';

export function scalingDetail(
  desired: number,
  live: number,
  manager: string | null = 'kubectl-scale',
): DriftDetail {
  return {
    path: 'spec.replicas',
    type: 'Scaling',
    severity: 'medium',
    desired,
    live,
    manager,
    changed_at: null,
  };
}

export function imageDetail(
  desired: string,
  live: string,
  manager: string | null = 'kubectl-set',
): DriftDetail {
  return {
    path: 'spec.template.spec.containers[name=web].image',
    type: 'VersionChange',
    severity: 'high',
    desired,
    live,
    manager,
    changed_at: null,
  };
}

/** An engine result for Deployment `ns/name`: in sync without details, drifted with them. */
export function result(
  name: string,
  details: DriftDetail[] = [],
  namespace = 'default',
  kind = 'Deployment',
): DriftResult {
  const drift = details.length > 0;
  const first = details[0];
  return {
    resource_id: `${kind}:${namespace}:${name}`,
    kind,
    namespace,
    name,
    api_version: kind === 'Deployment' ? 'apps/v1' : 'v1',
    drift_detected: drift,
    drift_status: drift ? 'active' : 'none',
    drift_type: first?.type ?? null,
    severity: first?.severity ?? null,
    drift_details: details,
    desired_hash: 'sha256:desired',
    live_hash: drift ? `sha256:live-${details.length}` : 'sha256:desired',
    git_commit: 'abc1234',
    source_file: `apps/${name}.yaml`,
  };
}
