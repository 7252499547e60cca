// Where a discovered chart comes from when it is not in Git: a Flux HelmRelease's chart from a
// HelmRepository (HTTP, or `type: oci`), its chartRef to an OCIRepository, or an Argo CD
// Application's `chart` from its repoURL (an HTTP chart repository or an OCI registry). Only the
// repository the object itself names is fetched from; what the agent cannot follow (cloud
// providers' logins, a digest or non-semver tag, custom CAs, signature checks) is named. Pure.
import type { JsonObject } from '../../shared/types.ts';
import { parseConstraint, parseVersion } from '../../shared/node/render/deps/constraint.ts';
import type { ChartPull } from '../git/source-spec.ts';
import { metaOf, obj, str } from './discovered.ts';

/** HelmRepositories and OCIRepositories by `Kind/namespace/name`. */
export type ChartRepositories = ReadonlyMap<string, JsonObject>;

export function chartRepositoryKey(o: JsonObject, kind: string): string {
  const { namespace, name } = metaOf(o);
  return `${kind}/${namespace}/${name}`;
}

/** The options of a Flux source that change how (or whether) it can be fetched. */
function sourceAccess(
  what: string,
  spec: JsonObject,
  namespace: string,
  unsupported: string[],
): Pick<ChartPull, 'secret'> | null {
  const provider = str(spec['provider']);
  if (provider && provider !== 'generic') {
    unsupported.push(`${what}: provider ${provider} (a cloud login) is not used`);
    return null;
  }
  if (str(obj(spec['certSecretRef'])['name']))
    unsupported.push(`${what}: certSecretRef (custom CA or client certificate) is not used`);
  if (spec['verify'] !== undefined) unsupported.push(`${what}: signatures (verify) are not checked`);
  const secret = str(obj(spec['secretRef'])['name']);
  return secret ? { secret: { namespace, name: secret } } : {};
}

/** A chart version or constraint helm can resolve; a reason otherwise. */
function versionOf(what: string, version: string, unsupported: string[]): string | null {
  if (parseConstraint(version)) return version;
  unsupported.push(`${what}: version ${version} is not a semver version or range`);
  return null;
}

/** A HelmRelease's `chart.spec` whose sourceRef is a HelmRepository. */
export function fromHelmRepository(
  chart: JsonObject,
  ownNamespace: string,
  repos: ChartRepositories,
  unsupported: string[],
): ChartPull | null {
  const ref = obj(chart['sourceRef']);
  const ns = str(ref['namespace']) ?? ownNamespace;
  const key = `${ns}/${str(ref['name']) ?? ''}`;
  const name = str(chart['chart']) ?? '';
  const repo = repos.get(`HelmRepository/${key}`);
  if (!repo) {
    unsupported.push(`HelmRepository ${key} does not exist (or may not be read)`);
    return null;
  }
  const spec = obj(repo['spec']);
  const url = str(spec['url']);
  if (!url) {
    unsupported.push(`HelmRepository ${key} has no url`);
    return null;
  }
  if (chart['verify'] !== undefined) unsupported.push(`chart ${name}: signatures (verify) are not checked`);
  const access = sourceAccess(`HelmRepository ${key}`, spec, ns, unsupported);
  const version = versionOf(`chart ${name}`, str(chart['version']) ?? '*', unsupported);
  if (!access || !version || !name) return null;
  const oci = str(spec['type']) === 'oci' || /^oci:\/\//i.test(url);
  return { repository: url, name, version, plain_http: oci && spec['insecure'] === true, ...access };
}

/** A HelmRelease's `chartRef` to an OCIRepository: the chart is the artifact at its url. */
export function fromOciRepository(
  ref: JsonObject,
  ownNamespace: string,
  repos: ChartRepositories,
  unsupported: string[],
): ChartPull | null {
  const ns = str(ref['namespace']) ?? ownNamespace;
  const key = `${ns}/${str(ref['name']) ?? ''}`;
  const repo = repos.get(`OCIRepository/${key}`);
  if (!repo) {
    unsupported.push(`OCIRepository ${key} does not exist (or may not be read)`);
    return null;
  }
  const spec = obj(repo['spec']);
  const url = (str(spec['url']) ?? '').replace(/\/+$/, '');
  const slash = url.lastIndexOf('/');
  if (!/^oci:\/\/[^/]+\/./i.test(url)) {
    unsupported.push(`OCIRepository ${key}: url ${url || '(none)'} is not oci://host/path`);
    return null;
  }
  const what = `OCIRepository ${key}`;
  const r = obj(spec['ref']);
  const media = str(obj(spec['layerSelector'])['mediaType']);
  if (media && media !== 'application/vnd.cncf.helm.chart.content.v1.tar+gzip')
    unsupported.push(`${what}: layerSelector ${media} is not a Helm chart layer; the chart layer is read`);
  if (str(r['semverFilter'])) unsupported.push(`${what}: ref.semverFilter is not applied`);
  if (str(r['digest'])) {
    unsupported.push(`${what}: ref.digest is not resolved (only a semver tag or range)`);
    return null;
  }
  const tag = str(r['tag']) ?? 'latest';
  if (!str(r['semver']) && !parseVersion(tag)) {
    unsupported.push(`${what}: ref.tag ${tag} is not a chart version (only semver tags are resolved)`);
    return null;
  }
  const access = sourceAccess(what, spec, ns, unsupported);
  const version = versionOf(what, str(r['semver']) ?? tag, unsupported);
  if (!access || !version) return null;
  return {
    repository: url.slice(0, slash),
    name: url.slice(slash + 1),
    version,
    plain_http: spec['insecure'] === true,
    ...access,
  };
}

/** An Argo CD source with `chart`: repoURL is an HTTP chart repository, or an OCI registry path. */
export function fromArgoChart(source: JsonObject, unsupported: string[]): ChartPull | null {
  const name = str(source['chart']) ?? '';
  const url = str(source['repoURL']) ?? '';
  const revision = str(source['targetRevision']);
  if (!revision) {
    unsupported.push(`chart ${name}: targetRevision (the chart version) is not set`);
    return null;
  }
  const version = versionOf(`chart ${name}`, revision, unsupported);
  if (!version) return null;
  // Argo CD reads a repoURL without a scheme as an OCI registry (enableOCI).
  const repository = /^(https?|oci):\/\//i.test(url) ? url : `oci://${url}`;
  return { repository, name, version, plain_http: false };
}
