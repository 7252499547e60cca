// A stand-in UiClient for view tests: serves fixed records from memory and counts calls, so a view
// test can show what the UI does with the data. The real agent is exercised by the tmux test.
import type {
  AnalysisStatus,
  DriftEvent,
  DriftRecord,
  DriftRecordList,
  Statistics,
  Waiver,
} from '../../shared/types.ts';
import type { UiClient } from '../../plugin/ui/client.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

export function record(
  kind: string,
  namespace: string,
  name: string,
  over: Partial<DriftRecord> = {},
): DriftRecord {
  return {
    cluster: 'default',
    resource_id: `${kind}:${namespace}:${name}`,
    kind,
    namespace,
    name,
    api_version: 'apps/v1',
    source: 'default',
    drift_detected: true,
    drift_status: 'active',
    drift_type: 'Scaling',
    severity: 'medium',
    drift_details: [
      {
        path: 'spec.replicas',
        type: 'Scaling',
        severity: 'medium',
        desired: 3,
        live: 5,
        manager: 'kubectl-scale',
        changed_at: iso(1),
      },
    ],
    desired_hash: 'd1',
    live_hash: 'l1',
    git_commit: 'abcdef0123456789',
    source_file: `apps/${name}.yaml`,
    first_detected: iso(1),
    last_checked: iso(2),
    resolved_at: null,
    last_known_good_hash: 'd1',
    resolution_message: null,
    ...over,
  };
}

export const ACTIVE: DriftRecord[] = [
  record('Deployment', 'shop', 'web'),
  record('Deployment', 'shop', 'api', {
    drift_type: 'VersionChange',
    severity: 'high',
    first_detected: iso(5),
    drift_details: [
      {
        path: 'spec.template.spec.containers[name=api].image',
        type: 'VersionChange',
        severity: 'high',
        desired: 'api:1.0',
        live: 'api:1.1-hotfix',
        manager: 'kubectl-set',
        changed_at: iso(5),
      },
    ],
  }),
  record('ConfigMap', 'billing', 'settings', {
    api_version: 'v1',
    drift_type: 'ConfigMapChange',
    severity: 'low',
    first_detected: iso(3),
    drift_details: [
      {
        path: 'data.LOG_LEVEL',
        type: 'ConfigMapChange',
        severity: 'low',
        desired: 'info',
        live: 'debug',
        manager: 'kubectl-edit',
        changed_at: iso(3),
      },
    ],
  }),
];

export const RESOLVED: DriftRecord[] = [
  record('Service', 'shop', 'frontend', {
    drift_status: 'resolved',
    drift_detected: false,
    drift_type: 'PortChange',
    severity: 'medium',
    drift_details: [],
    resolved_at: iso(9),
    resolution_message: 'port back to 80 (kubectl-patch)',
  }),
];

export const WAIVED: DriftRecord[] = [
  record('Deployment', 'shop', 'cache', {
    drift_status: 'waived',
    waiver: {
      id: 'w-1',
      owner: 'alice',
      reason: 'load test until Friday',
      expires_at: '2026-01-08T10:02:33.000Z',
    },
  }),
];

export const WAIVERS: Waiver[] = [
  {
    id: 'w-1aaaaaaa-0000',
    cluster: 'default',
    owner: 'alice',
    reason: 'load test until Friday',
    scope: { resource_id: 'Deployment:shop:cache', kind: null, namespace: null, name: null, field: null },
    created_at: iso(1),
    expires_at: '2099-01-08T10:02:33.000Z',
    revoked_at: null,
    voided_at: null,
    signature: null,
    state: 'active',
  },
];

export const STATS: Statistics = {
  total_resources: 12,
  drifted_resources: 3,
  active_drifts: 3,
  resolved_drifts: 1,
  sources: [],
  by_type: { Scaling: 1, VersionChange: 1, ConfigMapChange: 1 },
  by_severity: { low: 1, medium: 1, high: 1 },
  by_namespace: { shop: 2, billing: 1 },
  mean_time_to_resolve_seconds: 120,
  drift_score: 25,
  last_analysis: {
    started_at: iso(10),
    finished_at: iso(10),
    duration_seconds: 0.5,
    resources: 12,
    git_commit: 'abcdef0',
  },
  trend: [0, 1, 1, 2, 3, 3].map((active, i) => ({ time: iso(i), active })),
  clusters: [],
};

export interface StandIn extends UiClient {
  calls: string[];
  /** When set, every call rejects with this error (the agent went away). */
  failWith: Error | null;
  /** How many polls of analysis() report "running" before it completes. */
  runningPolls: number;
  /** The waivers the stand-in agent keeps (revokeWaiver changes them). */
  waiverList: Waiver[];
}

export function standInClient(): StandIn {
  const c: StandIn = {
    calls: [],
    failWith: null,
    runningPolls: 1,
    waiverList: [...WAIVERS],
    async active() {
      return answer(c, 'active', list(ACTIVE));
    },
    async resolved() {
      return answer(c, 'resolved', list(RESOLVED));
    },
    async records() {
      return answer(c, 'records', list([...ACTIVE, ...WAIVED, ...RESOLVED]));
    },
    async record(id) {
      const r = [...ACTIVE, ...WAIVED, ...RESOLVED].find((x) => x.resource_id === id);
      if (!r) throw new Error(`drift record ${id} not found`);
      return answer(c, `record ${id}`, r);
    },
    async history(id) {
      return answer(c, `history ${id}`, { resource_id: id, events: events(id), count: 1 });
    },
    async waivers() {
      return answer(c, 'waivers', { waivers: c.waiverList, count: c.waiverList.length });
    },
    async revokeWaiver(id) {
      const w = c.waiverList.find((x) => x.id === id);
      if (!w) throw new Error(`no waiver ${id}`);
      const revoked = { ...w, state: 'revoked' as const, revoked_at: iso(20) };
      c.waiverList = c.waiverList.map((x) => (x.id === id ? revoked : x));
      return answer(c, `revoke ${id}`, revoked);
    },
    async statistics() {
      return answer(c, 'statistics', STATS);
    },
    async analyze() {
      return answer(c, 'analyze', { message: 'analysis started', status: 'accepted', analysis_id: 'an-1' });
    },
    async analysis(id) {
      const running = c.runningPolls-- > 0;
      return answer(c, `analysis ${id}`, analysisStatus(id, running));
    },
  };
  return c;
}

function answer<T>(c: StandIn, call: string, value: T): T {
  c.calls.push(call);
  if (c.failWith) throw c.failWith;
  return value;
}

function list(records: DriftRecord[]): DriftRecordList {
  return { drift_records: records, count: records.length };
}

function events(id: string): DriftEvent[] {
  const [kind = '', namespace = ''] = id.split(':');
  return [
    {
      event_id: `${id}-d`,
      cluster: 'default',
      resource_id: id,
      event: 'detected',
      from_status: 'none',
      to_status: 'active',
      time: iso(1),
      drift_type: 'Scaling',
      severity: 'medium',
      kind,
      namespace,
      source: 'default',
      message: 'replicas 3 → 5',
    },
  ];
}

function analysisStatus(id: string, running: boolean): AnalysisStatus {
  return {
    analysis_id: id,
    status: running ? 'running' : 'completed',
    trigger: 'manual',
    started_at: iso(10),
    finished_at: running ? null : iso(11),
    resources: 12,
    drifted: 3,
    detected: 1,
    resolved: 0,
    error: null,
  };
}
