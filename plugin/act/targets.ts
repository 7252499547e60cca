// Which plans a diff or revert is about: one KIND/NAME (or resource id) or every active drift,
// through the agent or from a repository (--local), so `diff` and `revert` resolve targets alike.
import type { KubeConfig } from '@kubernetes/client-node';
import { allPages, type DriftGuardClient } from '../../shared/api/client.ts';
import { isClusterScoped } from '../../shared/engine/index.ts';
import { resourceId } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { resolveRecord, parseTarget, targetNamespace } from './resolve-target.ts';
import { contextNamespace } from '../kube/config.ts';
import { agentPlan, localPlans, type PlanSource } from './revert.ts';

export interface LocalFlags {
  local?: boolean;
  repo?: string;
  branch?: string;
  path?: string;
}

export function checkLocalFlags(opts: LocalFlags, command: string): void {
  if (opts.local && !opts.repo) throw new CliError(`${command} --local needs --repo PATH|URL`);
  if (!opts.local && (opts.repo || opts.branch || opts.path))
    throw new CliError('--repo, --branch and --path need --local');
}

/** The agent's plans: one resource, or (input undefined) every active drift in the namespace filter. */
export async function agentPlans(
  client: DriftGuardClient,
  input: string | undefined,
  namespace: string | undefined,
): Promise<PlanSource[]> {
  if (input !== undefined) {
    const record = await resolveRecord(client, input, namespace);
    if (record.source_file === null)
      throw new CliError(
        `${record.resource_id} is not declared in Git (${record.drift_type ?? 'Unmanaged'}): there is no desired object to diff or revert to`,
      );
    return [await agentPlan(client, record)];
  }
  const active = await allPages((f) => client.active(f), namespace ? { namespace } : {});
  const out: PlanSource[] = [];
  // Unmanaged objects have no desired object; `get`/`status` list them.
  for (const r of active.drift_records) if (r.source_file !== null) out.push(await agentPlan(client, r));
  return out;
}

/** Plans from a repository: one resource, or (input undefined) every object it declares. */
export async function repoPlans(
  kc: KubeConfig,
  opts: LocalFlags,
  input: string | undefined,
  namespace: string | undefined,
): Promise<{ sources: PlanSource[]; warnings: string[]; errors: string[] }> {
  const target = input === undefined ? undefined : parseTarget(input);
  if (target && !('id' in target)) namespace = targetNamespace(target, namespace);
  const defaultNamespace = namespace ?? contextNamespace(kc);
  const local = {
    repo: opts.repo ?? '.',
    branch: opts.branch,
    path: opts.path,
    namespace,
    defaultNamespace,
  };
  if (input === undefined || target === undefined) return localPlans(kc, local);
  const wantedId =
    'id' in target
      ? target.id
      : resourceId(target.kind, isClusterScoped(target.kind) ? '' : defaultNamespace, target.name);
  const found = await localPlans(kc, { ...local, namespace: undefined }, (id, kind, name) =>
    'id' in target
      ? id === wantedId
      : id === wantedId ||
        (namespace === undefined && kind.toLowerCase() === target.kind.toLowerCase() && name === target.name),
  );
  const exact = found.sources.filter((s) => s.plan.resource_id === wantedId);
  const sources = exact.length > 0 ? exact : found.sources;
  if (sources.length === 0) throw new CliError(`${opts.repo ?? '.'} declares no ${input}`);
  if (sources.length > 1)
    throw new CliError(
      `${input} is ambiguous (${sources.map((s) => s.plan.resource_id).join(', ')}): pass -n NAMESPACE or a resource id`,
    );
  return { ...found, sources };
}
