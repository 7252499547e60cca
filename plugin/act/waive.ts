// What a waiver is asked for: from the user's words (a resource as every command accepts it, or a
// rule `KIND/NAMESPACE/NAME` of globs; a field; how long; why; who) to the agent's WaiverRequest.
// The CLI's `waive`, the browser's `w` and `ignore` (storing a proposed rule as a waiver) share it.
import { type DriftGuardClient, type WaiverInput } from '../../shared/api/client.ts';
import { isClusterScoped, prefixMatch } from '../../shared/engine/index.ts';
import { resourceId, type DriftDetail, type DriftRecord } from '../../shared/types.ts';
import { parseDuration } from '../../shared/units.ts';
import { CliError } from '../errors.ts';
import { kindFromAlias } from '../kube/kinds.ts';
import { loadKubeConfig, type KubeFlags } from '../kube/config.ts';
import { parseTarget, resolveRecord, targetNamespace } from './resolve-target.ts';

/** The longest waiver the agent accepts (it says so too); checked here so the error names the flag. */
const MAX_DAYS = 366;

export interface WaiveWords {
  /** A resource (`deploy/web -n shop`, `Deployment/shop/web`, `Deployment:shop:web`), or absent with `rule`. */
  resource?: string;
  /** `KIND/NAMESPACE/NAME` or `KIND/NAME` (with -n, or any namespace), `*` globs in each part. */
  rule?: string;
  field?: string;
  for: string;
  reason: string;
  owner: string;
}

/** `--for`: a duration such as 7d, 12h or 30m (at most 366d), checked before the agent is asked. */
export function waiverDuration(text: string): string {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0 || /^\d+$/.test(text.trim()))
    throw new CliError(`--for ${text}: expected a duration such as 7d, 12h or 30m`);
  if (ms > MAX_DAYS * 86_400_000) throw new CliError(`--for ${text}: a waiver lasts at most ${MAX_DAYS}d`);
  return text.trim();
}

/** A rule's kind as the records spell it: kubectl's aliases (`deploy`) and `deployments.apps` become Deployment. */
function ruleKind(part: string): string {
  if (part.includes('*')) return part;
  const bare = part.split('.')[0] ?? part;
  return kindFromAlias(bare) ?? bare;
}

/** `--rule KIND/NAMESPACE/NAME` (or `KIND/NAME`, the namespace from -n or any): the request's globs; `*` means any. */
export function parseRule(
  rule: string,
  namespace: string | undefined,
): Pick<WaiverInput, 'kind' | 'namespace' | 'name'> {
  const parts = rule.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '' || /\s/.test(p)))
    throw new CliError(
      `--rule ${rule}: expected KIND/NAMESPACE/NAME or KIND/NAME, with * for any part (Deployment/shop/web-*, ConfigMap/*/cache)`,
    );
  const [kind = '', ns, name = ''] = parts.length === 3 ? parts : [parts[0], namespace, parts[1]];
  if (parts.length === 3 && namespace !== undefined && namespace !== ns)
    throw new CliError(`--rule ${rule} names namespace ${ns ?? ''}, but -n says ${namespace}`);
  const any = (p: string | undefined) => p === undefined || p === '*';
  const out = {
    ...(any(kind) ? {} : { kind: ruleKind(kind) }),
    ...(any(ns) ? {} : { namespace: ns }),
    ...(any(name) ? {} : { name }),
  };
  if (Object.keys(out).length === 0)
    throw new CliError(`--rule ${rule} would waive every drift: name a kind, namespace or name`);
  return out;
}

/** The user of the kubeconfig's current (or --context) context, the owner when --owner is not given. */
export function kubeconfigUser(flags: KubeFlags): string | null {
  try {
    return loadKubeConfig(flags).getCurrentUser()?.name || null;
  } catch {
    return null;
  }
}

/**
 * The record the resource names, or, when the agent has none yet (a waiver made before the drift),
 * its id from the words alone when they say the namespace.
 */
async function waivedResource(
  client: DriftGuardClient,
  resource: string,
  namespace: string | undefined,
): Promise<{ id: string; record: DriftRecord | null }> {
  try {
    const record = await resolveRecord(client, resource, namespace);
    return { id: record.resource_id, record };
  } catch (err) {
    const target = parseTarget(resource);
    if ('id' in target) return { id: target.id, record: null };
    const ns = isClusterScoped(target.kind) ? '' : targetNamespace(target, namespace);
    if (ns === undefined || !(err instanceof CliError) || !err.message.startsWith('no drift record'))
      throw err;
    return { id: resourceId(target.kind, ns, target.name), record: null };
  }
}

/** What the user should know before the waiver is made: a field that covers nothing, fields left active. */
export function coverageWarnings(record: DriftRecord | null, field: string | undefined): string[] {
  if (!record || record.drift_details.length === 0 || field === undefined) return [];
  const paths = (ds: readonly DriftDetail[]) => ds.map((d) => d.path).join(', ');
  const covered = record.drift_details.filter((d) => prefixMatch(d.path, field));
  if (covered.length === 0)
    return [
      `warning: ${field} is none of ${record.resource_id}'s drifted fields (${paths(record.drift_details)})`,
    ];
  const rest = record.drift_details.filter((d) => !prefixMatch(d.path, field));
  return rest.length > 0
    ? [
        `warning: ${record.resource_id} also drifts on ${paths(rest)}; it stays active until every drifted field is waived`,
      ]
    : [];
}

/** The request for the agent, and warnings for the user. */
export async function waiverRequest(
  client: DriftGuardClient,
  words: WaiveWords,
  namespace: string | undefined,
): Promise<{ request: WaiverInput; warnings: string[] }> {
  if ((words.resource === undefined) === (words.rule === undefined))
    throw new CliError('name what to waive: a RESOURCE (deploy/web -n shop) or --rule KIND/NAMESPACE/NAME');
  if (!words.reason.trim()) throw new CliError('--reason is required: say why this drift is accepted');
  const common = {
    owner: words.owner,
    reason: words.reason,
    for: waiverDuration(words.for),
    ...(words.field !== undefined ? { field: words.field } : {}),
  };
  if (words.rule !== undefined)
    return { request: { ...common, ...parseRule(words.rule, namespace) }, warnings: [] };
  const { id, record } = await waivedResource(client, words.resource ?? '', namespace);
  const warnings = record
    ? coverageWarnings(record, words.field)
    : [`warning: no drift record for ${id} yet; the waiver covers its drift once there is one`];
  return { request: { ...common, resource_id: id }, warnings };
}

/** A waiver id as the user gives it: whole, a unique prefix of one (as the table shows), or `waiver/ID` (-o name). */
export function matchWaiverId(given: string, ids: readonly string[]): string {
  const want = given.replace(/^waivers?\//, '');
  if (ids.includes(want)) return want;
  const hits = ids.filter((id) => id.startsWith(want));
  if (want.length > 0 && hits.length === 1) return hits[0] as string;
  if (hits.length > 1 && want.length > 0)
    throw new CliError(`waiver ${given} is ambiguous (${hits.join(', ')}): give more of its id`);
  throw new CliError(`no waiver ${given} (kubectl driftguard waivers lists them)`);
}
