// A namespace filter naming a namespace the agent keeps no record in would answer "no active drift"
// for anything, a typo included: a false all-clear. Every tracked resource has a record (in sync or
// not), so a namespace without one is said to be untracked instead, as an error (exit 2).
import type { DriftGuardClient } from '../../shared/api/client.ts';
import { CliError } from '../errors.ts';

export async function requireTrackedNamespace(
  client: Pick<DriftGuardClient, 'records'>,
  namespace: string | undefined,
): Promise<void> {
  if (namespace === undefined) return;
  const { count } = await client.records({ namespace, limit: 1 });
  if (count === 0)
    throw new CliError(
      `namespace ${namespace} is not tracked (0 resources): no source of the agent declares anything in it ` +
        '(kubectl driftguard get lists what is tracked)',
    );
}
