// The cluster's CustomResourceDefinitions, for the engine's custom resource defaults. A cluster
// where the caller may not list CRDs is not an error: the engine then compares without the schema
// defaults, and the caller reports the reason (readiness, a warning) instead of raising false alarms.
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonValue } from '../../types.ts';
import { crdSchemas, type CrdSchemas } from '../../engine/crd-schema.ts';
import { KubeApiError, kubeGet } from './rest.ts';

export type CrdRead = { ok: true; schemas: CrdSchemas; count: number } | { ok: false; message: string };

export async function readCrdSchemas(kc: KubeConfig): Promise<CrdRead> {
  try {
    const res = await kubeGet(kc, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    if (res.status === 404) return { ok: true, schemas: new Map(), count: 0 };
    const items = (res.body as { items?: unknown[] } | null)?.items ?? [];
    const list = items.map((i) => ({ ...(i as object), kind: 'CustomResourceDefinition' }));
    return { ok: true, schemas: crdSchemas(list as JsonValue[]), count: list.length };
  } catch (err) {
    const why =
      err instanceof KubeApiError && err.status === 403 ? 'forbidden' : String((err as Error).message);
    return {
      ok: false,
      message: `cannot read CustomResourceDefinitions (${why}): custom resources are compared without their schema defaults`,
    };
  }
}
