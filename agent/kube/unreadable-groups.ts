// Group versions discovery lists but cannot describe (an aggregated APIService whose backend is
// down: metrics-server's, a common sight) are named in /ready with the watched kinds they hold,
// instead of failing discovery as a whole: every other kind is still watched and analysed, and
// discovery is retried until the group answers.
import type { UnreadableGroup } from '../../shared/node/kube/discovery.ts';

/** The configured resource types that name this group (`PodMetrics.metrics.k8s.io`). */
function typesIn(group: string, specs: readonly string[]): string[] {
  return specs.filter((s) => s.slice(s.indexOf('.') + 1) === group && s.includes('.'));
}

/** One readiness line per unreadable group version, naming the configured kinds it holds. */
export function unreadableMessages(groups: readonly UnreadableGroup[], specs: readonly string[]): string[] {
  return groups.map((g) => {
    const group = g.apiVersion.includes('/') ? g.apiVersion.slice(0, g.apiVersion.indexOf('/')) : '';
    const kinds = typesIn(group, specs);
    const what =
      kinds.length > 0
        ? `${kinds.join(', ')} not watched, not analysed`
        : 'none of kubernetes.resource_types is in it';
    return `cannot read ${g.apiVersion} from the API server (${g.reason}): ${what}`;
  });
}
