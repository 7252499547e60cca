// Where the adopted values go, by how the source is read: a plain manifest is edited in place; a
// Kustomize overlay and a Helm chart are followed to the file a human would change (kustomize.ts,
// helm.ts). Nothing is written until apply(), so --dry-run and the diff come first.
import type { AdoptField } from '../../shared/engine/adopt/plan.ts';
import { CliError } from '../errors.ts';
import { plainEdit, writeAll, type Written } from './plain.ts';
import { helmWrites } from './helm.ts';
import { kustomizeWrites } from './kustomize.ts';
import type { AdoptTarget, LocalSource } from './target.ts';

/** The flags of `adopt` that decide where values go. */
export interface WhereFlags {
  to?: 'base' | 'overlay' | undefined;
  values?: string | undefined;
}

export interface AdoptPlan {
  written: Written[];
  /** What the user should know: a field left for a template, the patch to apply by hand. */
  notes: string[];
  apply(): void;
}

export async function writePlan(
  repoDir: string,
  target: AdoptTarget,
  fields: readonly AdoptField[],
  opts: WhereFlags,
  src: LocalSource,
): Promise<AdoptPlan> {
  if (target.type === 'kustomize') {
    const k = await kustomizeWrites(repoDir, target, fields, opts.to, src);
    return { ...k, apply: () => writeAll(repoDir, k.written) };
  }
  if (target.type === 'helm') {
    if (opts.to) throw new CliError('--to is for Kustomize sources');
    const h = await helmWrites(repoDir, target, fields, opts.values, src);
    return { ...h, apply: () => writeAll(repoDir, h.written) };
  }
  if (opts.values) throw new CliError('--values is for Helm sources (with --local)');
  if (opts.to) throw new CliError('--to is for Kustomize sources (with --local)');
  const w = plainEdit(repoDir, target.sourceFile, target.id, target.kind, target.defaultNamespace, fields);
  return { written: [w], notes: [], apply: () => writeAll(repoDir, [w]) };
}
