// Several clusters' agents may share one database, so the plugin can show a record of a cluster
// other than the one its kubeconfig reaches. Everything that changes objects or files (revert,
// adopt, waive) and the diff they start from go through this kubeconfig and the agent it reaches:
// acting on another cluster's record would write into the wrong cluster. These checks refuse that
// with the names of both clusters.
import { ApiError, type DriftGuardClient } from '../../shared/api/client.ts';
import { CliError } from '../errors.ts';
import type { DriftActions } from './actions.ts';

type RecordReader = Pick<DriftGuardClient, 'record' | 'records'>;

/**
 * The cluster of the agent the plugin reaches, as its own records name it: the record of this id
 * when it has one, else any of its records; null when it holds none.
 */
export async function agentCluster(client: RecordReader, resourceId: string | null): Promise<string | null> {
  if (resourceId !== null) {
    try {
      return (await client.record(resourceId)).cluster;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  }
  return (await client.records({ limit: 1 })).drift_records[0]?.cluster ?? null;
}

export interface ActTarget {
  /** The cluster the user means (the record's, or `--cluster`). */
  cluster: string;
  /** How the user named the object, for the message. */
  label: string;
  /** Its resource id, when known: the agent's record of it names the agent's cluster. */
  resourceId: string | null;
  /** What would act: "revert", "adopt", ... */
  what: string;
  /** The kubeconfig context in use, for the message. */
  context?: string | undefined;
}

/**
 * Resolves when the target's cluster is the cluster of the agent the plugin reaches (so a write
 * through this kubeconfig lands in it); otherwise a CliError naming both clusters and what to do.
 */
export async function assertAgentCluster(client: RecordReader, t: ActTarget): Promise<void> {
  const own = await agentCluster(client, t.resourceId);
  if (own === t.cluster) return;
  const via = t.context ? `kubeconfig context ${t.context}` : 'kubeconfig';
  const reaches = own === null ? 'an agent with no records of its own' : `the agent of cluster ${own}`;
  throw new CliError(
    `${t.label} is a drift of cluster ${t.cluster}, but this ${via} reaches ${reaches}: ${t.what} acts only on that cluster. ` +
      `Switch to a kubeconfig context of cluster ${t.cluster} (kubectl config use-context NAME) and run it again.`,
  );
}

/** The kubeconfig's current context, for messages; undefined when it cannot be read. */
export function contextName(kubeConfig: () => { getCurrentContext(): string }): string | undefined {
  try {
    return kubeConfig().getCurrentContext() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The browser's actions for rows of a cluster view, whose ids are `cluster/resource id`: each is
 * refused unless the row's cluster is the agent's own, then runs on the resource id.
 */
export function clusterRowActions(
  actions: DriftActions,
  client: RecordReader,
  split: (rowId: string) => { cluster: string | null; resourceId: string },
): DriftActions {
  const check = async (rowId: string, what: string): Promise<string> => {
    const { cluster, resourceId } = split(rowId);
    if (cluster !== null) await assertAgentCluster(client, { cluster, label: resourceId, resourceId, what });
    return resourceId;
  };
  return {
    diff: async (row) => actions.diff(await check(row, 'diff')),
    revert: async (row, opts) => actions.revert(await check(row, 'revert'), opts),
    adopt: async (row) => actions.adopt(await check(row, 'adopt')),
    waive: async (row, words) => actions.waive(await check(row, 'waive'), words),
  };
}
