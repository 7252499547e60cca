// Reads the live counterpart of every desired object (`analyze --local`; the agent lists the same
// collections through listObjects, so both see the same JSON). Small groups are read with one GET per
// object; a kind+namespace with many desired objects is read with one paginated LIST instead,
// which is what keeps 1,000 objects fast. Objects not found are simply absent from the map.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../types.ts';
import { parseResourceId } from '../../types.ts';
import { apiPrefix, Discovery, type ApiResource } from './discovery.ts';
import { KubeApiError, kubeGet } from './rest.ts';

export interface DesiredRef {
  id: string;
  object: KubeObject;
}

export interface LiveResult {
  live: Map<string, KubeObject>;
  /** Kinds the cluster does not serve; their objects count as Missing. */
  unserved: string[];
}

/** Above this many objects of one kind in one namespace, a LIST is cheaper than GETs. */
const LIST_THRESHOLD = 5;
const CONCURRENCY = 16;
const PAGE = 500;

interface Group {
  apiVersion: string;
  kind: string;
  namespace: string;
  resource: ApiResource;
  items: { id: string; name: string }[];
}

function basePath(g: Pick<Group, 'apiVersion' | 'namespace' | 'resource'>): string {
  const ns = g.resource.namespaced && g.namespace ? `/namespaces/${encodeURIComponent(g.namespace)}` : '';
  return `${apiPrefix(g.apiVersion)}${ns}/${g.resource.name}`;
}

async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/** Lists carry `kind: XList` and items without apiVersion/kind: put them back, as a GET returns them. */
export function withTypeMeta(item: unknown, apiVersion: string, kind: string): KubeObject {
  return { ...(item as KubeObject), apiVersion, kind };
}

export interface ObjectList {
  items: KubeObject[];
  /** The list's resourceVersion, where a watch resumes. */
  resourceVersion: string;
  /** The token for the next page of a paged (`limit`) list; empty on the last page. */
  continue: string;
}

/** One LIST of a collection path (with its query), items given their apiVersion and kind back. */
export async function listObjects(
  kc: KubeConfig,
  path: string,
  apiVersion: string,
  kind: string,
): Promise<ObjectList> {
  const res = await kubeGet(kc, path);
  if (res.status === 404) throw new KubeApiError(404, 'NotFound', `GET ${path}: not found`);
  const body = (res.body ?? {}) as {
    items?: unknown[];
    metadata?: { resourceVersion?: string; continue?: string };
  };
  return {
    items: (body.items ?? []).map((i) => withTypeMeta(i, apiVersion, kind)),
    resourceVersion: body.metadata?.resourceVersion ?? '',
    continue: body.metadata?.continue ?? '',
  };
}

async function readGroup(kc: KubeConfig, g: Group, live: Map<string, KubeObject>): Promise<void> {
  if (g.items.length <= LIST_THRESHOLD) {
    await pool(
      g.items.map((it) => async () => {
        const res = await kubeGet(kc, `${basePath(g)}/${encodeURIComponent(it.name)}`);
        if (res.status !== 404) live.set(it.id, res.body as KubeObject);
      }),
      CONCURRENCY,
    );
    return;
  }
  const wanted = new Map(g.items.map((it) => [it.name, it.id]));
  let cont = '';
  do {
    const q = `?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const res = await kubeGet(kc, basePath(g) + q);
    const body = (res.body ?? {}) as { items?: unknown[]; metadata?: { continue?: string } };
    for (const item of body.items ?? []) {
      const name = (item as KubeObject).metadata?.['name'];
      const id = typeof name === 'string' ? wanted.get(name) : undefined;
      if (id) live.set(id, withTypeMeta(item, g.apiVersion, g.kind));
    }
    cont = body.metadata?.continue ?? '';
  } while (cont);
}

/**
 * `onRead` is called as each collection's objects are in `live` (with the ids read), so a caller can
 * work on them while the other requests are still out.
 */
export async function readLiveObjects(
  kc: KubeConfig,
  desired: DesiredRef[],
  discovery: Discovery = new Discovery(kc),
  onRead?: (ids: readonly string[], live: ReadonlyMap<string, KubeObject>) => void,
): Promise<LiveResult> {
  const groups = new Map<string, Group>();
  const unserved = new Set<string>();
  for (const d of desired) {
    const ref = parseResourceId(d.id);
    if (!ref) continue;
    const resource = await discovery.resource(d.object.apiVersion, d.object.kind);
    if (!resource) {
      unserved.add(`${d.object.kind} (${d.object.apiVersion})`);
      continue;
    }
    const key = `${d.object.apiVersion}|${d.object.kind}|${ref.namespace}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        apiVersion: d.object.apiVersion,
        kind: d.object.kind,
        namespace: ref.namespace,
        resource,
        items: [],
      };
      groups.set(key, g);
    }
    g.items.push({ id: d.id, name: ref.name });
  }
  const live = new Map<string, KubeObject>();
  await pool(
    [...groups.values()].map((g) => async () => {
      await readGroup(kc, g, live);
      onRead?.(
        g.items.map((it) => it.id),
        live,
      );
    }),
    4,
  );
  return { live, unserved: [...unserved] };
}
