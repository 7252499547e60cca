// networking.k8s.io/v1 defaults (pkg/apis/networking/v1/defaults.go): a NetworkPolicy without
// policyTypes gets them from its rules (Ingress always, Egress when egress rules exist), a policy
// port's protocol is TCP, and IngressClass parameters are cluster-scoped unless Git says otherwise.
import { arr, dropIfEqual, isObject, obj } from '../json.ts';
import { eachSide } from './types.ts';

export const networkingNormalizer = eachSide('networking-defaults', (o) => {
  if (o.apiVersion !== 'networking.k8s.io/v1') return;
  const spec = obj(o, 'spec');
  if (!spec) return;
  if (o.kind === 'NetworkPolicy') {
    const egress = arr(spec, 'egress') ?? [];
    dropIfEqual(spec, 'policyTypes', egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
    for (const dir of ['ingress', 'egress'])
      for (const rule of arr(spec, dir) ?? [])
        for (const p of arr(rule, 'ports') ?? []) if (isObject(p)) dropIfEqual(p, 'protocol', 'TCP');
  }
  if (o.kind === 'IngressClass') dropIfEqual(obj(spec, 'parameters'), 'scope', 'Cluster');
});
