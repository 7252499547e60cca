// The normaliser contract, modelled on argoproj/gitops-engine pkg/diff: each normaliser rewrites what
// a real API server adds or rewrites (defaults, allocations, spellings) so it does not count as drift.
import type { KubeObject } from '../../types.ts';
import type { ListScope } from '../list-types.ts';
import type { ManagedFieldsEntry } from '../managed-fields.ts';
import type { EngineOptions } from '../options.ts';

export interface NormalizeContext {
  kind: string;
  /** The kind with its CRD schema when it has one: which lists compare by key, which in order. */
  lists: ListScope;
  opts: EngineOptions;
  /** Parsed live managedFields, read before metadata is stripped. */
  managed: readonly ManagedFieldsEntry[];
}

export interface Normalizer {
  name: string;
  /** Mutates both sides in place (the pipeline works on copies). `live` is undefined for a missing object. */
  normalize(desired: KubeObject, live: KubeObject | undefined, ctx: NormalizeContext): void;
}

/** Helper for the many normalisers that apply the same rewrite to each side independently. */
export function eachSide(name: string, fn: (o: KubeObject, ctx: NormalizeContext) => void): Normalizer {
  return {
    name,
    normalize(desired, live, ctx) {
      fn(desired, ctx);
      if (live) fn(live, ctx);
    },
  };
}
