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
