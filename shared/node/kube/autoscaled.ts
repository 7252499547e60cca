// The workloads HorizontalPodAutoscalers target (KEDA's ScaledObjects make HPAs too), for the
// engine (EngineOptions.autoscaled): with it, a replica count no manager owns on any other
// workload is a scale by hand (see the engine's ownership normaliser). One LIST per namespace.
import type { KubeConfig } from '@kubernetes/client-node';
import { groupOf, kindKey } from '../../engine/identity.ts';
import { resourceId } from '../../types.ts';
import { KubeApiError, kubeGet } from './rest.ts';

export interface HpaItem {
  metadata?: { namespace?: string };
  spec?: { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } };
}

interface HpaList {
  items?: HpaItem[];
}

export interface Autoscaled {
  /** Undefined when the HPAs could not be read: the engine then keeps today's caution. */
  ids: Set<string> | undefined;
  warning: string | null;
}

/** The targets of these HorizontalPodAutoscaler objects, as resource ids. */
export function targetsOf(hpas: Iterable<HpaItem>): Set<string> {
  const ids = new Set<string>();
  for (const h of hpas) {
    const t = h.spec?.scaleTargetRef;
    const ns = h.metadata?.namespace;
    if (!t?.kind || !t.name || !ns) continue;
    ids.add(resourceId(kindKey(t.kind, groupOf(t.apiVersion ?? '')), ns, t.name));
  }
  return ids;
}

export async function readAutoscaled(kc: KubeConfig, namespaces: Iterable<string>): Promise<Autoscaled> {
  const ids = new Set<string>();
  for (const ns of new Set(namespaces)) {
    try {
      const res = await kubeGet(
        kc,
        `/apis/autoscaling/v2/namespaces/${encodeURIComponent(ns)}/horizontalpodautoscalers`,
      );
      if (res.status === 404) continue;
      const items = (res.body as HpaList | null)?.items ?? [];
      for (const id of targetsOf(items.map((h) => ({ ...h, metadata: { namespace: ns } })))) ids.add(id);
    } catch (err) {
      if (!(err instanceof KubeApiError) || err.status === 0) throw err;
      return {
        ids: undefined,
        warning: `cannot list HorizontalPodAutoscalers in ${ns} (${err.message}): a scale by hand of an object applied server-side is not reported`,
      };
    }
  }
  return { ids, warning: null };
}
