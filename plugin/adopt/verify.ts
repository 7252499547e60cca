// The check behind every --local adopt: read the edited checkout and the cluster again, as
// `analyze --local` does, and name the adopted fields that still differ (none, when it worked).
import type { KubeConfig } from '@kubernetes/client-node';
import type { AdoptField } from '../../shared/engine/adopt/plan.ts';
import { localTarget, type LocalSource } from './target.ts';

export async function verifyAdopted(
  kc: KubeConfig,
  src: LocalSource,
  input: string,
  fields: readonly AdoptField[],
): Promise<string[]> {
  const again = await localTarget(kc, src, input);
  const drifted = new Set(again.details.map((d) => d.path));
  return fields.map((f) => f.path).filter((p) => drifted.has(p));
}
