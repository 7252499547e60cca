// Service defaults and allocations. IPs, IP families and node ports are chosen by the API server when
// Git leaves them out, so those are dropped from live unless Git sets them; plain defaults are
// dropped on both sides.
import type { JsonObject } from '../../types.ts';
import { arr, deepEqual, dropIfEqual, isObject, obj } from '../json.ts';
import type { Normalizer } from './types.ts';

function portKey(p: JsonObject): string {
  return `${String(p['port'])}/${typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP'}`;
}

function defaults(spec: JsonObject): void {
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
  dropIfEqual(spec, 'type', 'ClusterIP');
  dropIfEqual(spec, 'sessionAffinity', 'None');
  dropIfEqual(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer') dropIfEqual(spec, 'externalTrafficPolicy', 'Cluster');
  // Defaulted for LoadBalancer and cleared by the server on a type change, so true is never news.
  dropIfEqual(spec, 'allocateLoadBalancerNodePorts', true);
  dropIfEqual(obj(obj(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  for (const p of arr(spec, 'ports') ?? []) {
    if (!isObject(p)) continue;
    dropIfEqual(p, 'protocol', 'TCP');
    // targetPort defaults to port (after int-or-string normalisation both are numbers).
    if (p['targetPort'] !== undefined && deepEqual(p['targetPort'], p['port'])) delete p['targetPort'];
  }
}

export const serviceNormalizer: Normalizer = {
  name: 'service-defaults',
  normalize(desired, live) {
    if (desired.kind !== 'Service') return;
    const ds = obj(desired, 'spec') ?? {};
    const ls = obj(live, 'spec');
    if (ls) {
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) {
        if (ds[k] === undefined) delete ls[k];
      }
      const desiredPorts = new Map<string, JsonObject>();
      for (const p of arr(ds, 'ports') ?? []) if (isObject(p)) desiredPorts.set(portKey(p), p);
      for (const p of arr(ls, 'ports') ?? []) {
        if (isObject(p) && desiredPorts.get(portKey(p))?.['nodePort'] === undefined) delete p['nodePort'];
      }
      defaults(ls);
    }
    defaults(ds);
  },
};
