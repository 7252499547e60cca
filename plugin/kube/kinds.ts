// kubectl's names for kinds (`deploy`, `cm`, `svc`, plurals) mapped to the Kind a record carries.

const ALIASES: Record<string, string[]> = {
  Deployment: ['deployment', 'deployments', 'deploy'],
  StatefulSet: ['statefulset', 'statefulsets', 'sts'],
  DaemonSet: ['daemonset', 'daemonsets', 'ds'],
  ReplicaSet: ['replicaset', 'replicasets', 'rs'],
  Service: ['service', 'services', 'svc'],
  ConfigMap: ['configmap', 'configmaps', 'cm'],
  Secret: ['secret', 'secrets'],
  Pod: ['pod', 'pods', 'po'],
  Job: ['job', 'jobs'],
  CronJob: ['cronjob', 'cronjobs', 'cj'],
  Ingress: ['ingress', 'ingresses', 'ing'],
  Namespace: ['namespace', 'namespaces', 'ns'],
  ServiceAccount: ['serviceaccount', 'serviceaccounts', 'sa'],
  PersistentVolumeClaim: ['persistentvolumeclaim', 'persistentvolumeclaims', 'pvc'],
  PersistentVolume: ['persistentvolume', 'persistentvolumes', 'pv'],
  HorizontalPodAutoscaler: ['horizontalpodautoscaler', 'horizontalpodautoscalers', 'hpa'],
  NetworkPolicy: ['networkpolicy', 'networkpolicies', 'netpol'],
  Role: ['role', 'roles'],
  RoleBinding: ['rolebinding', 'rolebindings'],
  ClusterRole: ['clusterrole', 'clusterroles'],
  ClusterRoleBinding: ['clusterrolebinding', 'clusterrolebindings'],
  PodDisruptionBudget: ['poddisruptionbudget', 'poddisruptionbudgets', 'pdb'],
};

const BY_ALIAS = new Map<string, string>(
  Object.entries(ALIASES).flatMap(([kind, names]) => names.map((n) => [n, kind] as [string, string])),
);

/** The Kind for a kubectl-style name, or null when it is not a known alias (matched case-insensitively later). */
export function kindFromAlias(name: string): string | null {
  return BY_ALIAS.get(name.toLowerCase()) ?? null;
}

/** Edit distance (Levenshtein), for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** The known kind a mistyped name is closest to (`deplyment` → Deployment), or null when none is close. */
export function suggestKind(name: string): string | null {
  const n = name.toLowerCase();
  let best: { kind: string; d: number } | null = null;
  for (const [alias, kind] of BY_ALIAS) {
    const d = distance(n, alias);
    if (best === null || d < best.d) best = { kind, d };
  }
  // Two edits for a long name, one for a short one: `svx` → Service, never `foo` → Pod.
  const limit = n.length >= 6 ? 2 : 1;
  return best && best.d <= limit ? best.kind : null;
}

/** Every kind this table knows (for completion and suggestions). */
export function knownKinds(): string[] {
  return Object.keys(ALIASES);
}
