// Adopt one agent record into a checkout, without asking: the browser's `A` key. The files are
// written for review (git diff) and nothing is committed; what was written comes back as one line.
import type { DriftGuardClient } from '../../shared/api/client.ts';
import { adoptFields, AdoptRefused } from '../../shared/engine/adopt/plan.ts';
import { CliError } from '../errors.ts';
import { agentTarget } from './target.ts';
import { writePlan } from './write.ts';

export async function adoptRecord(client: DriftGuardClient, id: string, repoDir: string): Promise<string> {
  const target = await agentTarget(client, id, undefined, 'default');
  if (target.details.length === 0) return `${id} matches Git: nothing to adopt`;
  let fields;
  try {
    fields = adoptFields(target.kind, target.id, target.details, []);
  } catch (err) {
    if (err instanceof AdoptRefused) throw new CliError(err.message);
    throw err;
  }
  const src = { repo: repoDir, namespace: undefined, defaultNamespace: target.defaultNamespace };
  const plan = await writePlan(repoDir, target, fields, {}, src);
  plan.apply();
  const files = plan.written
    .filter((w) => w.after !== w.before)
    .map((w) => (w.document ? `${w.file} (document ${w.document})` : w.file));
  if (files.length === 0) return `${id}: nothing to write`;
  return `adopted ${fields.length} field(s) of ${id} into ${files.join(', ')} in ${repoDir}: review with git diff`;
}
