// A dependency from an OCI registry (`oci://host/path`, the chart at `path/<name>:<version>`), read
// through the registry's HTTP API: the tag list when the version is a range, the manifest (whose
// chart layer gives the digest and size, checked before any byte of the archive is fetched), then
// the blob. Registry auth: basic, or a bearer token from the realm a 401 names (Docker's token flow).
import { RenderError } from '../errors.ts';
import { highestMatch, parseVersion, type Constraint } from './constraint.ts';
import { boundedGet, httpFailure, safeUrl, type Got } from './download.ts';
import type { Resolved } from './http-repo.ts';
import type { AllowedRepository, Credentials, DependencyPolicy } from './repositories.ts';

const CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface OciRef {
  /** `https://host` or `http://host` */
  origin: string;
  /** The repository path in the registry: `path/name`. */
  repository: string;
}

export function ociRef(repo: AllowedRepository, name: string): OciRef {
  const rest = repo.url.replace(/^oci:\/\//i, '').replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  return {
    origin: `${repo.plain_http ? 'http' : 'https'}://${host}`,
    repository: path ? `${path}/${name}` : name,
  };
}

function challenge(h: string | null): Record<string, string> | null {
  if (!h || !/^bearer\s/i.test(h)) return null;
  const out: Record<string, string> = {};
  for (const m of h.slice(7).matchAll(/(\w+)="([^"]*)"/g)) if (m[1]) out[m[1].toLowerCase()] = m[2] ?? '';
  return out;
}

/** Registry GETs for one repository, with the auth its first 401 asks for. */
export class Registry {
  private bearer: string | undefined;
  private basic = false;

  constructor(
    private readonly ref: OciRef,
    private readonly creds: Credentials | null,
    private readonly policy: DependencyPolicy,
  ) {}

  async get(path: string, what: string, maxBytes: number, accept?: string): Promise<Got> {
    const url = `${this.ref.origin}/v2/${path}`;
    const once = (): Promise<Got> =>
      boundedGet({
        url,
        maxBytes,
        timeoutMs: this.policy.timeoutMs,
        headers: accept ? { accept } : undefined,
        credentials: this.basic ? this.creds : null,
        authOrigin: this.ref.origin,
        bearer: this.bearer,
        what,
      });
    let got = await once();
    if (got.status === 401 && !this.bearer && !this.basic) {
      const bearer = challenge(got.headers.get('www-authenticate'));
      if (bearer?.['realm']) this.bearer = await this.token(bearer);
      else if (this.creds) this.basic = true;
      got = await once();
    }
    if (got.status !== 200) throw httpFailure(what, url, got.status);
    return got;
  }

  private async token(c: Record<string, string>): Promise<string> {
    const realm = new URL(c['realm'] ?? '');
    if (c['service']) realm.searchParams.set('service', c['service']);
    realm.searchParams.set('scope', c['scope'] ?? `repository:${this.ref.repository}:pull`);
    const got = await boundedGet({
      url: realm.toString(),
      maxBytes: 1 << 20,
      timeoutMs: this.policy.timeoutMs,
      credentials: this.creds,
      authOrigin: realm.origin,
      what: `registry token ${safeUrl(realm.toString())}`,
    });
    if (got.status !== 200) throw httpFailure('registry token', realm.toString(), got.status);
    const body = JSON.parse(got.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RenderError('fetch', `registry token ${safeUrl(realm.toString())}: no token in the answer`);
    return token;
  }
}

/** An exact version is its tag (`+` spelled `_`, as helm pushes it); a range reads the tag list. */
async function pickTag(
  reg: Registry,
  ref: OciRef,
  name: string,
  constraint: Constraint,
  max: number,
): Promise<string> {
  const exact = parseVersion(constraint.text);
  if (exact && /^v?\d/.test(constraint.text.trim())) return constraint.text.trim();
  const got = await reg.get(`${ref.repository}/tags/list`, `tag list of ${ref.repository}`, max);
  const tags = ((JSON.parse(got.body.toString('utf8')) as { tags?: unknown }).tags ?? []) as unknown[];
  const versions = tags.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/_/g, '+'));
  const v = highestMatch(constraint, versions);
  if (v === null)
    throw new RenderError(
      'fetch',
      `no tag of ${ref.repository} matches ${constraint.text} (it has ${versions.slice(0, 10).join(', ') || 'none'})`,
    );
  return v;
}

export async function resolveFromRegistry(
  repo: AllowedRepository,
  name: string,
  constraint: Constraint,
  creds: Credentials | null,
  policy: DependencyPolicy,
): Promise<Resolved> {
  const ref = ociRef(repo, name);
  const reg = new Registry(ref, creds, policy);
  const version = await pickTag(reg, ref, name, constraint, policy.maxIndexBytes);
  const tag = version.replace(/\+/g, '_');
  const got = await reg.get(
    `${ref.repository}/manifests/${tag}`,
    `manifest of ${ref.repository}:${tag}`,
    4 << 20,
    MANIFEST,
  );
  const manifest = JSON.parse(got.body.toString('utf8')) as {
    layers?: { mediaType?: string; digest?: string; size?: number }[];
  };
  const layer = (manifest.layers ?? []).find((l) => l.mediaType === CHART_LAYER);
  if (!layer?.digest || !/^sha256:[0-9a-f]{64}$/.test(layer.digest))
    throw new RenderError(
      'parse',
      `${ref.repository}:${tag} is not a Helm chart (no ${CHART_LAYER} layer with a sha256 digest)`,
    );
  return {
    version,
    url: `${ref.origin}/v2/${ref.repository}/blobs/${layer.digest}`,
    digest: layer.digest.slice('sha256:'.length),
    size: typeof layer.size === 'number' ? layer.size : null,
  };
}
