// Service defaults and allocations. IPs, IP families and node ports are chosen by the API server when
// Git leaves them out, so those are dropped from live unless Git sets them; plain defaults are
// dropped on both sides.
import type { JsonObject, JsonValue } from '../../types.ts';
import { arr, deepEqual, dropIfEqual, isObject, obj } from '../json.ts';
import type { Normalizer } from './types.ts';

/** Fields the server allocates or derives when Git leaves them out (or empty). */
const ALLOCATED = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort'];

function isUnset(v: JsonValue | undefined): boolean {
  return v === '' || v === 0 || v === null || (Array.isArray(v) && v.length === 0);
}

function portKey(p: JsonObject): string {
  return `${String(p['port'])}/${typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP'}`;
}

function defaults(spec: JsonObject): void {
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
  dropIfEqual(spec, 'type', 'ClusterIP');
  dropIfEqual(spec, 'sessionAffinity', 'None');
  // With affinity None the server clears sessionAffinityConfig whatever Git says.
  if (spec['sessionAffinity'] === undefined) delete spec['sessionAffinityConfig'];
  dropIfEqual(spec, 'internalTrafficPolicy', 'Cluster');
  // Defaulted when the Service is reachable from outside: NodePort, LoadBalancer or external IPs.
  const external = arr(spec, 'externalIPs') ?? [];
  if (type === 'NodePort' || type === 'LoadBalancer' || external.length > 0)
    dropIfEqual(spec, 'externalTrafficPolicy', 'Cluster');
  // Defaulted for LoadBalancer and cleared by the server on a type change, so true is never news.
  dropIfEqual(spec, 'allocateLoadBalancerNodePorts', true);
  dropIfEqual(obj(obj(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  for (const p of arr(spec, 'ports') ?? []) {
    if (!isObject(p)) continue;
    dropIfEqual(p, 'protocol', 'TCP');
    // targetPort defaults to port (after int-or-string normalisation both are numbers); 0 and "" mean unset.
    const tp = p['targetPort'];
    if (tp !== undefined && (tp === 0 || tp === '' || deepEqual(tp, p['port']))) delete p['targetPort'];
  }
}

export const serviceNormalizer: Normalizer = {
  name: 'service-defaults',
  normalize(desired, live) {
    if (desired.kind !== 'Service') return;
    const ds = obj(desired, 'spec') ?? {};
    const ls = obj(live, 'spec');
    // `clusterIP: ""`, `clusterIPs: []`, `nodePort: 0` in Git ask the server to allocate, like leaving them out.
    for (const k of ALLOCATED) if (isUnset(ds[k])) delete ds[k];
    for (const p of arr(ds, 'ports') ?? []) if (isObject(p) && isUnset(p['nodePort'])) delete p['nodePort'];
    if (ls) {
      for (const k of ALLOCATED) if (ds[k] === undefined) delete ls[k];
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
