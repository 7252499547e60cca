// Defaults of the smaller built-in kinds (pkg/apis/{rbac,storage,scheduling,discovery,core}/v1/defaults.go):
// RBAC role and subject API groups, StorageClass and CSIDriver policies, PriorityClass preemption,
// PersistentVolume reclaim policy and mode, Endpoints/EndpointSlice port protocol and name.
import type { JsonObject } from '../../types.ts';
import { arr, dropIfEqual, isObject, obj } from '../json.ts';
import { eachSide } from './types.ts';

const RBAC = 'rbac.authorization.k8s.io';

function ports(list: JsonObject | undefined, key: string, name: boolean): void {
  for (const p of arr(list, key) ?? []) {
    if (!isObject(p)) continue;
    dropIfEqual(p, 'protocol', 'TCP');
    if (name) dropIfEqual(p, 'name', '');
  }
}

export const otherKindsNormalizer = eachSide('other-kind-defaults', (o) => {
  const spec = obj(o, 'spec');
  switch (`${o.apiVersion}/${o.kind}`) {
    case `${RBAC}/v1/RoleBinding`:
    case `${RBAC}/v1/ClusterRoleBinding`:
      dropIfEqual(obj(o, 'roleRef'), 'apiGroup', RBAC);
      for (const s of arr(o, 'subjects') ?? []) {
        if (!isObject(s)) continue;
        if (s['kind'] === 'User' || s['kind'] === 'Group') dropIfEqual(s, 'apiGroup', RBAC);
        if (s['kind'] === 'ServiceAccount') dropIfEqual(s, 'apiGroup', '');
      }
      break;
    case 'storage.k8s.io/v1/StorageClass':
      dropIfEqual(o, 'reclaimPolicy', 'Delete');
      dropIfEqual(o, 'volumeBindingMode', 'Immediate');
      break;
    case 'storage.k8s.io/v1/CSIDriver':
      dropIfEqual(spec, 'attachRequired', true);
      dropIfEqual(spec, 'podInfoOnMount', false);
      dropIfEqual(spec, 'storageCapacity', false);
      dropIfEqual(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
      dropIfEqual(spec, 'volumeLifecycleModes', ['Persistent']);
      dropIfEqual(spec, 'requiresRepublish', false);
      dropIfEqual(spec, 'seLinuxMount', false);
      dropIfEqual(spec, 'preventPodSchedulingIfMissing', false);
      break;
    case 'scheduling.k8s.io/v1/PriorityClass':
      dropIfEqual(o, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
    case 'v1/PersistentVolume':
      dropIfEqual(spec, 'persistentVolumeReclaimPolicy', 'Retain');
      dropIfEqual(spec, 'volumeMode', 'Filesystem');
      // SetDefaults_HostPathVolumeSource applies to a PV's hostPath as to a pod volume's.
      dropIfEqual(obj(spec, 'hostPath'), 'type', '');
      break;
    case 'v1/Endpoints':
      for (const s of arr(o, 'subsets') ?? []) if (isObject(s)) ports(s, 'ports', false);
      break;
    case 'discovery.k8s.io/v1/EndpointSlice':
      ports(o, 'ports', true);
      break;
  }
});
