// What the GitOps controllers' objects become (sources_from): one source per object, named after
// it, with what the agent cannot model of it. Pure shapes and small readers of untyped objects.
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import type { RepoSpec, SourceSpec } from '../git/source-spec.ts';

export interface DiscoveredSource {
  /** `argocd/<app>` or `flux/<namespace>/<name>`. */
  name: string;
  /** Null: nothing of it can be modelled (it is listed in /ready with the reasons, not tracked). */
  spec: SourceSpec | null;
  /** What is not modelled, each a short sentence naming the option. */
  unsupported: string[];
}

/** What every discovered source takes from the agent's own config: Git auth and timeouts, the default namespace. */
export interface DiscoverContext {
  git: Omit<RepoSpec, 'url' | 'branch' | 'path'>;
  namespace: string;
  /** A ConfigMap's data (namespace, name); undefined when it does not exist or may not be read. */
  configMap: (namespace: string, name: string) => Record<string, string> | undefined;
}

export function obj(v: JsonValue | undefined): JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

export function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A map of strings (labels, annotations, substitutions); other values are left out. */
export function stringMap(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

export function metaOf(o: JsonObject): { name: string; namespace: string } {
  const m = obj(o['metadata']);
  return { name: str(m['name']) ?? '', namespace: str(m['namespace']) ?? '' };
}
