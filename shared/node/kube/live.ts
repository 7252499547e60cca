// Reads the live counterpart of every desired object (`analyze --local`; the agent lists the same
// collections through listObjects, so both see the same JSON). Small groups are read with one GET per
// object; a kind+namespace with many desired objects is read with one paginated LIST instead,
// which is what keeps 1,000 objects fast. Objects not found are simply absent from the map; objects
// whose group cannot be read (its discovery or its collection answers an error) are in `unreadable`
// instead, so that a failure is never taken for a deleted object.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../types.ts';
import { parseResourceId } from '../../types.ts';
import { apiPrefix, Discovery, errorReason, isGroupError, type ApiResource } from './discovery.ts';
import { KubeApiError, kubeGet } from './rest.ts';

/** Desired objects of one group version that could not be read, with the server's reason. */
export interface UnreadableKinds {
  apiVersion: string;
  /** The kinds of the desired objects concerned, sorted. */
  kinds: string[];
  reason: string;
  /** Their resource ids. */
  ids: string[];
}

export interface DesiredRef {
  id: string;
  object: KubeObject;
}

export interface LiveResult {
  live: Map<string, KubeObject>;
  /** Kinds the cluster does not serve; their objects count as Missing. */
  unserved: string[];
  /** Objects not analysable: their group could not be read. Absent from `live`, and not Missing. */
  unreadable: UnreadableKinds[];
}

/** Collects unreadable objects per group version (the first reason met is kept). */
class Unreadable {
  private readonly byVersion = new Map<string, UnreadableKinds>();
  add(apiVersion: string, kind: string, reason: string, ids: readonly string[]): void {
    let u = this.byVersion.get(apiVersion);
    if (!u) {
      u = { apiVersion, kinds: [], reason, ids: [] };
      this.byVersion.set(apiVersion, u);
    }
    if (!u.kinds.includes(kind)) u.kinds.push(kind);
    u.ids.push(...ids);
  }
  list(): UnreadableKinds[] {
    return [...this.byVersion.values()].map((u) => ({ ...u, kinds: [...u.kinds].sort() }));
  }
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
  const unreadable = new Unreadable();
  for (const d of desired) {
    const ref = parseResourceId(d.id);
    if (!ref) continue;
    const resource = await discovery.resource(d.object.apiVersion, d.object.kind);
    const failure = discovery.failure(d.object.apiVersion);
    if (failure !== undefined) {
      unreadable.add(d.object.apiVersion, d.object.kind, failure, [d.id]);
      continue;
    }
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
      try {
        await readGroup(kc, g, live);
      } catch (err) {
        if (!isGroupError(err)) throw err;
        const ids = g.items.map((it) => it.id);
        for (const id of ids) live.delete(id);
        unreadable.add(g.apiVersion, g.kind, errorReason(err), ids);
        return;
      }
      onRead?.(
        g.items.map((it) => it.id),
        live,
      );
    }),
    4,
  );
  return { live, unserved: [...unserved], unreadable: unreadable.list() };
}
