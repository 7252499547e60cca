// Turns what the user typed into the resource id of one drift record: the API id
// (`Deployment:shop:web`), what get and status print (`Deployment/shop/web`), and kubectl's
// spellings (`deploy/web -n shop`, `deployment.apps/web`); searching by kind and name when the
// namespace is not given. A mistyped kind gets a "did you mean".
import { allPages, ApiError, type DriftGuardClient } from '../../shared/api/client.ts';
import { isClusterScoped } from '../../shared/engine/index.ts';
import { parseResourceId, resourceId, type DriftRecord } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { kindFromAlias, suggestKind } from '../kube/kinds.ts';

export interface Target {
  kind: string;
  name: string;
  /** From `Kind/namespace/name` (what get and status print). */
  namespace?: string;
}

export function parseTarget(input: string): Target | { id: string } {
  if (parseResourceId(input)) return { id: input };
  // Names may contain `:` (ClusterRole `system:controller:x`); never `/` or spaces.
  const m = /^([A-Za-z][A-Za-z0-9.-]*)\/(?:([a-z0-9][-a-z0-9]*)\/)?([^/\s]+)$/.exec(input);
  if (!m || m[1] === undefined || m[3] === undefined) {
    throw new CliError(
      `${JSON.stringify(input)}: expected KIND/NAME (deployment/web, with -n), KIND/NAMESPACE/NAME as get prints it (Deployment/shop/web) or a resource id (Deployment:shop:web)`,
    );
  }
  // `deployments.apps/web`: the group suffix does not matter for built-in kinds' ids.
  const kindName = m[1].split('.')[0] ?? m[1];
  return { kind: kindFromAlias(kindName) ?? kindName, name: m[3], ...(m[2] ? { namespace: m[2] } : {}) };
}

/** The namespace a target names, checked against -n (both may be given, but must agree). */
export function targetNamespace(target: Target, flag: string | undefined): string | undefined {
  if (target.namespace !== undefined && flag !== undefined && flag !== target.namespace)
    throw new CliError(
      `${target.kind}/${target.namespace}/${target.name} names namespace ${target.namespace}, but -n says ${flag}`,
    );
  return target.namespace ?? flag;
}

/** "no record" with a hint when the kind itself looks mistyped (no record has it, a known kind is close). */
function unknownKindHint(kind: string, records: readonly DriftRecord[]): string {
  if (records.some((r) => r.kind.toLowerCase() === kind.toLowerCase())) return '';
  const near = suggestKind(kind);
  return near && near !== kind ? ` (no record has kind ${kind}; did you mean ${near}?)` : '';
}

/** The start of the agent's 404 for a cluster its database does not know (agent/api/records.ts). */
const UNKNOWN_CLUSTER = /^no records for cluster /;

async function fetchRecord(
  client: DriftGuardClient,
  id: string,
  cluster: string | undefined,
): Promise<DriftRecord | null> {
  try {
    return await client.record(id, cluster === undefined ? {} : { cluster });
  } catch (err) {
    // An unknown cluster's 404 lists the known ones: said as the agent says it, not "no record".
    if (err instanceof ApiError && err.status === 404 && !UNKNOWN_CLUSTER.test(err.message)) return null;
    throw err;
  }
}

/**
 * The record the input names, of the agent's own cluster or of `cluster` (another sharing its
 * database); throws a CliError when there is none or the name is ambiguous.
 */
export async function resolveRecord(
  client: DriftGuardClient,
  input: string,
  namespace: string | undefined,
  cluster?: string,
): Promise<DriftRecord> {
  const of = cluster === undefined ? '' : ` of cluster ${cluster}`;
  const target = parseTarget(input);
  if (!('id' in target)) namespace = targetNamespace(target, namespace);
  if ('id' in target) {
    const rec = await fetchRecord(client, target.id, cluster);
    if (!rec) throw new CliError(`no drift record for ${target.id}${of}`);
    return rec;
  }
  const exactNs = isClusterScoped(target.kind) ? '' : namespace;
  if (exactNs !== undefined) {
    const rec = await fetchRecord(client, resourceId(target.kind, exactNs, target.name), cluster);
    if (rec) return rec;
  }
  const list = await allPages((f) => client.records(f), {
    ...(namespace ? { namespace } : {}),
    ...(cluster === undefined ? {} : { cluster }),
  });
  const hits = list.drift_records.filter(
    (r) => r.kind.toLowerCase() === target.kind.toLowerCase() && r.name === target.name,
  );
  const where = namespace ? ` in namespace ${namespace}` : '';
  if (hits.length === 0)
    throw new CliError(
      `no drift record for ${input}${where}${of}${unknownKindHint(target.kind, list.drift_records)}`,
    );
  if (hits.length > 1)
    throw new CliError(
      `${input} is ambiguous (${hits.map((h) => h.resource_id).join(', ')}): pass -n NAMESPACE or a resource id`,
    );
  return hits[0] as DriftRecord;
}
