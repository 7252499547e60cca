// Realistic records for benchmarks: a deterministic mixture of statuses (about 60 % in sync, 25 %
// drifting, 15 % resolved), kinds, namespaces, drift types and severities, each record written with
// the events of its life (built by `transition`, as the agent would).
import type { DriftDetail, DriftResult } from '../../shared/types.ts';
import { transition } from '../../agent/records/lifecycle.ts';
import type { Store } from '../../agent/store/store.ts';

const NAMESPACES = [
  'default',
  'shop',
  'payments',
  'search',
  'auth',
  'monitoring',
  'ingress',
  'batch',
  'data',
  'edge',
];
const KINDS: [kind: string, apiVersion: string][] = [
  ['Deployment', 'apps/v1'],
  ['Service', 'v1'],
  ['ConfigMap', 'v1'],
  ['Secret', 'v1'],
  ['StatefulSet', 'apps/v1'],
  ['Ingress', 'networking.k8s.io/v1'],
  ['DaemonSet', 'apps/v1'],
];
const MANAGERS = ['kubectl-scale', 'kubectl-edit', 'kubectl-set', 'kubectl-label', 'helm', null];
const BASE_MS = Date.UTC(2026, 0, 1);

/** Drifted fields for resource i: one to three, of varied types and severities. */
function details(i: number, kind: string): DriftDetail[] {
  const manager = MANAGERS[i % MANAGERS.length] ?? null;
  const changed_at = new Date(BASE_MS + i * 1000).toISOString();
  const all: DriftDetail[] = [
    kind === 'Secret'
      ? {
          path: 'data.password',
          type: 'SecretChange',
          severity: 'high',
          desired: '(redacted)',
          live: '(redacted)',
          manager,
          changed_at,
        }
      : {
          path: 'spec.replicas',
          type: 'Scaling',
          severity: 'medium',
          desired: 3,
          live: 3 + (i % 5) + 1,
          manager,
          changed_at,
        },
    {
      path: 'spec.template.spec.containers[name=app].image',
      type: 'VersionChange',
      severity: 'high',
      desired: 'registry.example/app:1.4.2',
      live: `registry.example/app:1.4.${3 + (i % 7)}`,
      manager,
      changed_at,
    },
    {
      path: 'metadata.labels.team',
      type: 'LabelChange',
      severity: 'low',
      desired: undefined,
      live: `team-${i % 13}`,
      manager,
      changed_at,
    },
  ];
  return all.slice(i % 3).slice(0, 1 + (i % 2));
}

function verdict(i: number, drifted: boolean): DriftResult {
  const [kind, api_version] = KINDS[i % KINDS.length] ?? ['ConfigMap', 'v1'];
  const namespace = NAMESPACES[(i * 7) % NAMESPACES.length] ?? 'default';
  const name = `${kind.toLowerCase()}-${String(i).padStart(5, '0')}`;
  const d = drifted ? details(i, kind) : [];
  return {
    resource_id: `${kind}:${namespace}:${name}`,
    kind,
    namespace,
    name,
    api_version,
    drift_detected: drifted,
    drift_status: drifted ? 'active' : 'none',
    drift_type: d[0]?.type ?? null,
    severity: d.reduce<DriftDetail['severity'] | null>(
      (s, x) =>
        s === 'high' || x.severity === 'high'
          ? 'high'
          : s === 'medium' || x.severity === 'medium'
            ? 'medium'
            : 'low',
      null,
    ),
    drift_details: d,
    desired_hash: `sha256:${i.toString(16).padStart(8, '0')}`,
    live_hash: drifted
      ? `sha256:${(i + 1).toString(16).padStart(8, '0')}`
      : `sha256:${i.toString(16).padStart(8, '0')}`,
    git_commit: '4f1c2e9',
    source_file: `apps/${namespace}/${name}.yaml`,
  };
}

/** Writes one resource's life: in sync, or detected, or detected then resolved. */
async function seedOne(store: Store, i: number): Promise<void> {
  const bucket = i % 20; // 0-11 none, 12-16 active, 17-19 resolved
  const detectedAt = new Date(BASE_MS + i * 60_000).toISOString();
  if (bucket < 12) {
    const { record } = transition(null, verdict(i, false), detectedAt);
    await store.saveRecord(record, null);
    return;
  }
  const detected = transition(null, verdict(i, true), detectedAt);
  await store.saveRecord(detected.record, detected.event);
  if (bucket < 17) return;
  const resolvedAt = new Date(BASE_MS + i * 60_000 + (5 + (i % 55)) * 60_000).toISOString();
  const resolved = transition(detected.record, verdict(i, false), resolvedAt);
  await store.saveRecord(resolved.record, resolved.event);
}

/**
 * Writes `n` realistic records (and their transition events) into an initialised store, 16
 * writes in flight at a time. Deterministic: the same n gives the same records.
 */
export async function seedRecords(store: Store, n: number): Promise<void> {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`seedRecords: n must be a non-negative integer, got ${n}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await seedOne(store, next++);
  };
  await Promise.all(Array.from({ length: Math.min(16, n) }, worker));
}
