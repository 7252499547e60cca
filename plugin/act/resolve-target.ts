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

async function fetchRecord(client: DriftGuardClient, id: string): Promise<DriftRecord | null> {
  try {
    return await client.record(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The record the input names; throws a CliError when there is none or the name is ambiguous. */
export async function resolveRecord(
  client: DriftGuardClient,
  input: string,
  namespace: string | undefined,
): Promise<DriftRecord> {
  const target = parseTarget(input);
  if (!('id' in target)) namespace = targetNamespace(target, namespace);
  if ('id' in target) {
    const rec = await fetchRecord(client, target.id);
    if (!rec) throw new CliError(`no drift record for ${target.id}`);
    return rec;
  }
  const exactNs = isClusterScoped(target.kind) ? '' : namespace;
  if (exactNs !== undefined) {
    const rec = await fetchRecord(client, resourceId(target.kind, exactNs, target.name));
    if (rec) return rec;
  }
  const list = await allPages((f) => client.records(f), namespace ? { namespace } : {});
  const hits = list.drift_records.filter(
    (r) => r.kind.toLowerCase() === target.kind.toLowerCase() && r.name === target.name,
  );
  const where = namespace ? ` in namespace ${namespace}` : '';
  if (hits.length === 0)
    throw new CliError(
      `no drift record for ${input}${where}${unknownKindHint(target.kind, list.drift_records)}`,
    );
  if (hits.length > 1)
    throw new CliError(
      `${input} is ambiguous (${hits.map((h) => h.resource_id).join(', ')}): pass -n NAMESPACE or a resource id`,
    );
  return hits[0] as DriftRecord;
}
