// Turns what the user typed (`Deployment:shop:web`, `deploy/web`, `deployment/web -n shop`) into
// the resource id of one drift record, searching by kind and name when the namespace is not given.
import { allPages, ApiError, type DriftGuardClient } from '../../shared/api/client.ts';
import { isClusterScoped } from '../../shared/engine/index.ts';
import { parseResourceId, resourceId, type DriftRecord } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { kindFromAlias } from '../kube/kinds.ts';

export interface Target {
  kind: string;
  name: string;
}

export function parseTarget(input: string): Target | { id: string } {
  if (parseResourceId(input)) return { id: input };
  // Names may contain `:` (ClusterRole `system:controller:x`); never `/` or spaces.
  const m = /^([A-Za-z][A-Za-z0-9.-]*)\/([^/\s]+)$/.exec(input);
  if (!m || m[1] === undefined || m[2] === undefined) {
    throw new CliError(
      `${JSON.stringify(input)}: expected KIND/NAME (e.g. deployment/web) or a resource id (e.g. Deployment:shop:web)`,
    );
  }
  // `deployments.apps/web`: the group suffix does not matter for our ids.
  const kindName = m[1].split('.')[0] ?? m[1];
  return { kind: kindFromAlias(kindName) ?? kindName, name: m[2] };
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
  if (hits.length === 0) throw new CliError(`no drift record for ${input}${where}`);
  if (hits.length > 1)
    throw new CliError(
      `${input} is ambiguous (${hits.map((h) => h.resource_id).join(', ')}): pass -n NAMESPACE or a resource id`,
    );
  return hits[0] as DriftRecord;
}
