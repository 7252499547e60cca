// Test data beside the shapes it follows: one valid DriftRecord (an active Scaling drift of
// Deployment shop/web) and one DriftDetail, each with overrides. For unit tests (*.test.ts);
// product code never imports a *.testkit.ts file (eslint enforces it). A test states the fields
// its assertions depend on as overrides, so a change of these defaults cannot pass it by chance.
import type { DriftDetail, DriftRecord } from '../types.ts';

export function driftDetail(over: Partial<DriftDetail> = {}): DriftDetail {
  return {
    path: 'spec.replicas',
    type: 'Scaling',
    severity: 'high',
    desired: 3,
    live: 5,
    manager: 'kubectl-scale',
    changed_at: '2026-12-06T10:02:03Z',
    ...over,
  };
}

export function driftRecord(over: Partial<DriftRecord> = {}): DriftRecord {
  return {
    resource_id: 'Deployment:shop:web',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    api_version: 'apps/v1',
    drift_detected: true,
    drift_status: 'active',
    drift_type: 'Scaling',
    severity: 'high',
    drift_details: [driftDetail()],
    desired_hash: 'd',
    live_hash: 'l',
    git_commit: 'c',
    source_file: 'web.yaml',
    cluster: 'default',
    source: 'default',
    first_detected: '2026-12-06T10:02:04.000Z',
    last_checked: '2026-12-06T10:02:04.000Z',
    resolved_at: null,
    last_known_good_hash: null,
    resolution_message: null,
    ...over,
  };
}
