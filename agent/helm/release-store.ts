// Reads Helm's release storage from the API server (reads only): a metadata-only list of the
// release Secrets (type helm.sh/release.v1) and ConfigMaps (label owner=helm) tells each release's
// revisions by their labels; only the revision to compare against is then read whole.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, kubeGetOk, kubeRequest } from '../../shared/node/kube/rest.ts';
import type { ReleaseDriver } from './release-payload.ts';

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** One stored revision, from its labels (name, version, status), without its payload. */
export interface RevisionRef {
  driver: ReleaseDriver;
  namespace: string;
  /** The Secret's or ConfigMap's own name (sh.helm.release.v1.<release>.v<n>). */
  object: string;
  release: string;
  version: number;
  status: string;
  /** Changes when Helm rewrites the object (a revision deployed, then superseded). */
  resourceVersion: string;
}

interface MetaItem {
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
}

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

function listPath(driver: ReleaseDriver, namespace: string | null): string {
  const where = namespace === null ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const q = new URLSearchParams({ labelSelector: 'owner=helm' });
  if (driver === 'secret') q.set('fieldSelector', `type=${RELEASE_SECRET_TYPE}`);
  return `/api/v1${where}/${driver === 'secret' ? 'secrets' : 'configmaps'}?${q.toString()}`;
}

async function listDriver(
  kc: KubeConfig,
  driver: ReleaseDriver,
  namespace: string | null,
): Promise<RevisionRef[]> {
  const res = await kubeRequest(kc, listPath(driver, namespace), { method: 'GET', accept: METADATA_LIST });
  if (res.status === 404) return [];
  const items = ((res.body as { items?: MetaItem[] } | null)?.items ?? []) as MetaItem[];
  const out: RevisionRef[] = [];
  for (const { metadata: m } of items) {
    const version = Number(m?.labels?.['version']);
    const release = m?.labels?.['name'];
    if (!m?.name || !m.namespace || !release || !Number.isInteger(version)) continue;
    out.push({
      driver,
      namespace: m.namespace,
      object: m.name,
      release,
      version,
      status: m.labels?.['status'] ?? 'unknown',
      resourceVersion: m.resourceVersion ?? '',
    });
  }
  return out;
}

export interface Listed {
  revisions: RevisionRef[];
  /** A driver that could not be read (RBAC, say): named in the source's status. */
  problems: string[];
}

/** Every stored revision in the namespaces (null: all); one driver failing leaves the other's. */
export async function listRevisions(kc: KubeConfig, namespaces: string[] | null): Promise<Listed> {
  const revisions: RevisionRef[] = [];
  const problems: string[] = [];
  for (const driver of ['secret', 'configmap'] as const)
    for (const ns of namespaces ?? [null]) {
      try {
        revisions.push(...(await listDriver(kc, driver, ns)));
      } catch (err) {
        // The API server unreachable is the whole sync's failure; a refusal is one driver's.
        if (!(err instanceof KubeApiError) || err.status === 0) throw err;
        problems.push(
          `cannot list Helm's release ${driver === 'secret' ? 'Secrets' : 'ConfigMaps'}${ns ? ` in ${ns}` : ''}: ${err.message}`,
        );
      }
    }
  return { revisions, problems };
}

/** The revision each release is at: its newest `deployed` one (a failed upgrade leaves the previous). */
export function currentRevisions(revisions: RevisionRef[]): Map<string, RevisionRef> {
  const out = new Map<string, RevisionRef>();
  for (const r of revisions) {
    if (r.status !== 'deployed') continue;
    const key = `${r.namespace}/${r.release}`;
    const seen = out.get(key);
    if (!seen || r.version > seen.version) out.set(key, r);
  }
  return out;
}

/** The stored payload of one revision (data.release), as the API serves it. */
export async function readPayload(kc: KubeConfig, ref: RevisionRef): Promise<string> {
  const kind = ref.driver === 'secret' ? 'secrets' : 'configmaps';
  const body = (await kubeGetOk(
    kc,
    `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/${kind}/${encodeURIComponent(ref.object)}`,
  )) as { data?: Record<string, string> } | null;
  const data = body?.data?.['release'];
  if (typeof data !== 'string')
    throw new Error(`${ref.driver} ${ref.namespace}/${ref.object} holds no release data`);
  return data;
}
