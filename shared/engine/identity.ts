// Identity of an object: `Kind:namespace:name` (see resourceId in types.ts) and which kinds have no namespace.
import { resourceId, type KubeObject } from '../types.ts';

/**
 * API groups kube-apiserver v1.37 serves itself (its own registry plus the embedded apiextensions
 * and kube-aggregator servers). A kind in any other group comes from a CRD or an aggregated API and
 * is named `Kind.group` in resource ids, kubectl's spelling, so two `Gateway`s never collide.
 */
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `Deployment` for a built-in kind, `Gateway.gateway.networking.k8s.io` for any other. */
export function kindKey(kind: string, group: string): string {
  return BUILTIN_GROUPS.has(group) ? kind : `${kind}.${group}`;
}

export function kindKeyOf(o: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return kindKey(o.kind, groupOf(typeof o.apiVersion === 'string' ? o.apiVersion : ''));
}

/**
 * Scope by kind key as the API server's discovery reports it (true = namespaced). The engine is pure,
 * so the adapters pass what they discovered; kinds it does not list fall back to the built-in table.
 */
export type KindScopes = ReadonlyMap<string, boolean>;

/**
 * Built-in cluster-scoped kinds, the fallback when no discovery is given. Custom resources without
 * discovery are assumed namespaced (the common case for CRs kept in Git).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'VolumeAttachment',
  'CSIDriver',
  'CSINode',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ComponentStatus',
  'IPAddress',
  'ServiceCIDR',
  'DeviceClass',
  'ResourceSlice',
  'ClusterTrustBundle',
  'StorageVersion',
  'StorageVersionMigration',
  'VolumeAttributesClass',
  'SelfSubjectReview',
  'TokenReview',
  'SubjectAccessReview',
]);

/** `key` is a kind key (kindKey): a bare name is a built-in kind, `Kind.group` any other. */
export function isClusterScoped(key: string, scopes?: KindScopes): boolean {
  const namespaced = scopes?.get(key);
  if (namespaced !== undefined) return !namespaced;
  return CLUSTER_SCOPED_KINDS.has(key);
}

/** Namespace of an object as the engine sees it: '' for cluster-scoped kinds, else metadata.namespace or the default. */
export function namespaceOf(o: KubeObject, defaultNamespace: string, scopes?: KindScopes): string {
  if (isClusterScoped(kindKeyOf(o), scopes)) return '';
  const ns = o.metadata['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

export function nameOf(o: KubeObject): string {
  const n = o.metadata['name'];
  return typeof n === 'string' ? n : '';
}

export function objectId(o: KubeObject, defaultNamespace = 'default', scopes?: KindScopes): string {
  return resourceId(kindKeyOf(o), namespaceOf(o, defaultNamespace, scopes), nameOf(o));
}
