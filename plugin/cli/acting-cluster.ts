// `--cluster NAME` on the commands that act (diff, revert, adopt, waive). They act through this
// kubeconfig and the agent it reaches; `get --cluster` shows other clusters' drifts, so a user may
// well name one here: it is checked against the agent's cluster and refused, naming both, rather
// than acting on the same-named object of the wrong cluster.
import type { DriftGuardClient } from '../../shared/api/client.ts';
import { parseResourceId } from '../../shared/types.ts';
import { assertAgentCluster, contextName } from '../act/cluster-target.ts';
import { CliError } from '../errors.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { clusterOption, type GlobalFlags } from './options.ts';

export function actingClusterOption() {
  return clusterOption(
    "the drift's cluster: refused unless it is the cluster this kubeconfig's agent watches (the command acts through this kubeconfig)",
  );
}

/** Refuses `--cluster` with `--local`, which has no agent and acts on the kubeconfig's cluster. */
export function noClusterWithLocal(opts: { cluster?: string; local?: boolean }): void {
  if (opts.cluster !== undefined && opts.local)
    throw new CliError(
      "--cluster names a cluster of the agent's database; --local works on the kubeconfig's cluster directly (choose it with --context)",
    );
}

/** Resolves when `cluster` is absent or the agent's own; else the CliError of assertAgentCluster. */
export async function checkActingCluster(
  client: DriftGuardClient,
  cluster: string | undefined,
  resource: string,
  what: string,
  flags: GlobalFlags,
): Promise<void> {
  if (cluster === undefined) return;
  await assertAgentCluster(client, {
    cluster,
    label: resource,
    resourceId: parseResourceId(resource) ? resource : null,
    what,
    context: contextName(() => loadKubeConfig(flags)),
  });
}
