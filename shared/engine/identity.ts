// Identity of an object: `Kind:namespace:name` (see resourceId in types.ts) and which kinds have no namespace.
import { resourceId, type KubeObject } from '../types.ts';

/**
 * Built-in cluster-scoped kinds. Custom resources are assumed namespaced: the engine has no API
 * discovery (it is pure), and namespaced is by far the common case for CRs kept in Git.
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

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Namespace of an object as the engine sees it: '' for cluster-scoped kinds, else metadata.namespace or the default. */
export function namespaceOf(o: KubeObject, defaultNamespace: string): string {
  if (isClusterScoped(o.kind)) return '';
  const ns = o.metadata['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

export function nameOf(o: KubeObject): string {
  const n = o.metadata['name'];
  return typeof n === 'string' ? n : '';
}

export function objectId(o: KubeObject, defaultNamespace = 'default'): string {
  return resourceId(o.kind, namespaceOf(o, defaultNamespace), nameOf(o));
}
