// The kinds the agent can watch: where each lives in the API and whether it is namespaced.
// A table rather than API discovery: the set is small, fixed and must be validated at start.

export interface KindInfo {
  kind: string;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

const k = (kind: string, group: string, version: string, plural: string, namespaced = true): KindInfo => ({
  kind,
  group,
  version,
  plural,
  namespaced,
});

export const KINDS: readonly KindInfo[] = [
  k('Deployment', 'apps', 'v1', 'deployments'),
  k('StatefulSet', 'apps', 'v1', 'statefulsets'),
  k('DaemonSet', 'apps', 'v1', 'daemonsets'),
  k('ReplicaSet', 'apps', 'v1', 'replicasets'),
  k('Service', '', 'v1', 'services'),
  k('ConfigMap', '', 'v1', 'configmaps'),
  k('Secret', '', 'v1', 'secrets'),
  k('ServiceAccount', '', 'v1', 'serviceaccounts'),
  k('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims'),
  k('Namespace', '', 'v1', 'namespaces', false),
  k('HorizontalPodAutoscaler', 'autoscaling', 'v2', 'horizontalpodautoscalers'),
  k('Ingress', 'networking.k8s.io', 'v1', 'ingresses'),
  k('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies'),
  k('Job', 'batch', 'v1', 'jobs'),
  k('CronJob', 'batch', 'v1', 'cronjobs'),
  k('PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets'),
  k('Role', 'rbac.authorization.k8s.io', 'v1', 'roles'),
  k('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings'),
  k('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false),
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false),
];

export function kindInfo(kind: string): KindInfo | undefined {
  return KINDS.find((i) => i.kind === kind);
}

export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** The collection path, cluster-wide when `namespace` is undefined. */
export function collectionPath(info: KindInfo, namespace?: string): string {
  const root = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced && namespace !== undefined
    ? `${root}/namespaces/${namespace}/${info.plural}`
    : `${root}/${info.plural}`;
}

/** One message per resource type the agent does not know (the config names the key). */
export function unknownKinds(kinds: readonly string[]): string[] {
  return kinds
    .filter((kind) => !kindInfo(kind))
    .map(
      (kind) => `unknown kind ${JSON.stringify(kind)} (supported: ${KINDS.map((i) => i.kind).join(', ')})`,
    );
}
