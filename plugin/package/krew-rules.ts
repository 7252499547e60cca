// krew's manifest validation (sigs.k8s.io/krew internal/index/validation, v0.4.3) and the
// krew-index review rules, as a function: the package build refuses to write a manifest that
// fails it, and the tests check krew.yaml with it.
export const KREW_API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';

// krew's semver: a leading "v", then semver 2.0 (pre-release and build metadata allowed).
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const SHA256 = /^[a-f0-9]{64}$/;
const SAFE_NAME = /^[\w-]+$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every rule the manifest breaks, as messages; empty when krew would accept it. */
export function krewManifestProblems(doc: unknown): string[] {
  if (!isObj(doc)) return ['manifest is not a YAML mapping'];
  const problems: string[] = [];
  if (doc['apiVersion'] !== KREW_API_VERSION)
    problems.push(`apiVersion must be ${KREW_API_VERSION}, got ${String(doc['apiVersion'])}`);
  if (doc['kind'] !== 'Plugin') problems.push(`kind must be Plugin, got ${String(doc['kind'])}`);
  const name = isObj(doc['metadata']) ? str(doc['metadata']['name']) : '';
  if (!SAFE_NAME.test(name)) problems.push(`metadata.name "${name}" must match ${SAFE_NAME}`);
  const spec = isObj(doc['spec']) ? doc['spec'] : {};
  if (!SEMVER.test(str(spec['version'])))
    problems.push(`spec.version "${str(spec['version'])}" must be a v-prefixed semver`);
  const short = str(spec['shortDescription']);
  if (!short) problems.push('spec.shortDescription is required');
  if (/[\r\n]/.test(short)) problems.push('spec.shortDescription must be one line');
  if (!str(spec['homepage'])) problems.push('spec.homepage is required');
  if (!str(spec['description'])) problems.push('spec.description is required');
  const platforms = Array.isArray(spec['platforms']) ? spec['platforms'] : [];
  if (platforms.length === 0) problems.push('spec.platforms must list at least one platform');
  platforms.forEach((p, i) => problems.push(...platformProblems(p).map((m) => `platforms[${i}]: ${m}`)));
  return problems;
}

function platformProblems(p: unknown): string[] {
  if (!isObj(p)) return ['not a mapping'];
  const out: string[] = [];
  if (!str(p['uri'])) out.push('uri is required');
  if (!SHA256.test(str(p['sha256'])))
    out.push(`sha256 "${str(p['sha256'])}" must be 64 lowercase hex characters`);
  if (!str(p['bin'])) out.push('bin is required');
  const files = p['files'];
  if (files !== undefined) {
    if (!Array.isArray(files) || files.length === 0) out.push('files must be unset or non-empty');
    else if (files.some((f) => !isObj(f) || !str(f['from']) || !str(f['to'])))
      out.push('every files entry needs from and to');
  }
  const sel = p['selector'];
  if (!isObj(sel)) return [...out, 'selector is required'];
  const labels = isObj(sel['matchLabels']) ? sel['matchLabels'] : undefined;
  const exprs = Array.isArray(sel['matchExpressions']) ? sel['matchExpressions'] : undefined;
  if (!labels && !exprs?.length) out.push('selector must not be empty');
  if (labels && Object.keys(labels).length === 0) out.push('selector.matchLabels is empty');
  const keys = [...Object.keys(labels ?? {}), ...(exprs ?? []).map((e) => (isObj(e) ? str(e['key']) : ''))];
  for (const k of keys)
    if (k !== 'os' && k !== 'arch') out.push(`selector key "${k}" is not supported (only os and arch)`);
  return out;
}
