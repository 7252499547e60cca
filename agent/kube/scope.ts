// Which objects the agent tracks: a kind it watches, in a namespace it watches. Desired objects
// outside this scope are not analysed (they would otherwise all look Missing).
import { isClusterScoped } from '../../shared/engine/index.ts';
import type { KubernetesConfig } from '../config/schema.ts';

export function trackedScope(config: KubernetesConfig): (kind: string, namespace: string) => boolean {
  const kinds = new Set(config.resource_types);
  const excluded = new Set(config.exclude_system_namespaces ? config.system_namespaces : []);
  const only = config.namespaces.length > 0 ? new Set(config.namespaces) : null;
  return (kind, namespace) => {
    if (!kinds.has(kind)) return false;
    if (isClusterScoped(kind)) return true;
    if (excluded.has(namespace)) return false;
    return only === null || only.has(namespace);
  };
}
