// Which resource (plural name) serves a kind at an apiVersion, and whether it is namespaced.
// One discovery request per apiVersion, cached for the run.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeGet } from './rest.ts';

export interface ApiResource {
  /** Plural resource name used in URLs, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
}

interface ResourceList {
  resources?: { name?: string; kind?: string; namespaced?: boolean }[];
}

export function apiPrefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ApiResource> | null>>();
  constructor(private readonly kc: KubeConfig) {}

  private load(apiVersion: string): Promise<Map<string, ApiResource> | null> {
    let p = this.cache.get(apiVersion);
    if (!p) {
      p = kubeGet(this.kc, apiPrefix(apiVersion)).then((res) => {
        if (res.status === 404) return null;
        const kinds = new Map<string, ApiResource>();
        for (const r of (res.body as ResourceList).resources ?? []) {
          // Subresources (deployments/scale) share the kind name of their parent: skip them.
          if (!r.name || !r.kind || r.name.includes('/')) continue;
          kinds.set(r.kind, { name: r.name, namespaced: r.namespaced === true });
        }
        return kinds;
      });
      this.cache.set(apiVersion, p);
    }
    return p;
  }

  /** The resource for a kind, or null when the cluster does not serve it (e.g. a CRD not installed). */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | null> {
    return (await this.load(apiVersion))?.get(kind) ?? null;
  }
}
