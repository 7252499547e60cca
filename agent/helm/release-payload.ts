// What Helm stores for one release revision, decoded: the Secret driver keeps
// base64(gzip(JSON)) under data.release (which the API serves base64 once more), the ConfigMap
// driver the same string as plain data. Only the fields the desired state needs are kept: the
// payload also holds the chart, its values and the hooks, which may carry secrets, so it is never
// logged, stored or returned.
import { gunzipSync } from 'node:zlib';

export type ReleaseDriver = 'secret' | 'configmap';

export interface StoredRelease {
  name: string;
  namespace: string;
  version: number;
  /** deployed, superseded, failed, pending-install, …, as Helm's info.status. */
  status: string;
  /** The rendered templates applied (hooks are not part of it: Helm keeps them apart). */
  manifest: string;
  /** The chart's name (the first part of the manifest's `# Source:` paths). */
  chartName: string;
  /** The chart's name and version, for the source's status. */
  chart: string;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

export class ReleasePayloadError extends Error {}

/** Decodes one revision; `where` names the object in errors (never the payload itself). */
export function decodeRelease(data: string, driver: ReleaseDriver, where: string): StoredRelease {
  const helmEncoded = driver === 'secret' ? Buffer.from(data, 'base64').toString('latin1') : data;
  let bytes = Buffer.from(helmEncoded, 'base64');
  if (GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: 256 << 20 });
    } catch {
      throw new ReleasePayloadError(`${where}: the release payload is not valid gzip`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ReleasePayloadError(`${where}: the release payload is not Helm release JSON`);
  }
  const r = (parsed ?? {}) as {
    name?: unknown;
    namespace?: unknown;
    version?: unknown;
    manifest?: unknown;
    info?: { status?: unknown };
    chart?: { metadata?: { name?: unknown; version?: unknown } };
  };
  if (typeof r.name !== 'string' || typeof r.version !== 'number' || typeof r.manifest !== 'string')
    throw new ReleasePayloadError(`${where}: the release payload has no name, version or manifest`);
  const meta = r.chart?.metadata;
  return {
    name: r.name,
    namespace: typeof r.namespace === 'string' ? r.namespace : '',
    version: r.version,
    status: typeof r.info?.status === 'string' ? r.info.status : 'unknown',
    manifest: r.manifest,
    chartName: typeof meta?.name === 'string' ? meta.name : r.name,
    chart: typeof meta?.name === 'string' ? `${meta.name}-${String(meta.version ?? '?')}` : '?',
  };
}
