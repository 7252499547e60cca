// A chart may render differently on each run (randAlphaNum passwords, genCA certificates). Two
// renders of the same input are compared with the engine itself; every field that differs becomes
// an ignore rule for that one object, so it is reported as unstable and never as drift.
import {
  analyzeResource,
  defaultEngineOptions,
  type DesiredObject,
  type IgnoreRule,
} from '../../engine/index.ts';

export interface Instability {
  unstable: IgnoreRule[];
  /** Objects present in only one of the two renders (a random name): not comparable. */
  unmatched: string[];
}

export function unstableFields(
  first: DesiredObject[],
  second: DesiredObject[],
  defaultNamespace: string,
): Instability {
  const opts = defaultEngineOptions({ defaultNamespace, rules: { ignore_managers: [] } });
  const other = new Map(second.map((d) => [d.id, d.object]));
  const unstable: IgnoreRule[] = [];
  const unmatched: string[] = [];
  for (const d of first) {
    const twin = other.get(d.id);
    if (!twin) {
      unmatched.push(d.id);
      continue;
    }
    const result = analyzeResource(d, twin, opts, { gitCommit: null });
    for (const detail of result.drift_details)
      unstable.push({ kind: result.kind, namespace: result.namespace, name: result.name, path: detail.path });
  }
  const firstIds = new Set(first.map((d) => d.id));
  for (const d of second) if (!firstIds.has(d.id)) unmatched.push(d.id);
  return { unstable, unmatched };
}
