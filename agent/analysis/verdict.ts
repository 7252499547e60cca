// The verdict on one desired object: the engine compares it with its live counterpart. This is the
// one per-object step between the inputs (desired entry, live object) and the record's transition
// (records/next-state.ts). It is async so the stages that belong between the two can go here: a
// confirmation of what the comparison shows as drift, and a memo that skips the engine for inputs
// it has judged before.
import { analyzeResource, type EngineOptions } from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { DesiredEntry } from '../git/desired-view.ts';
import type { SourcedResult } from '../records/lifecycle.ts';

/** The engine options for one entry: its source's unstable fields join the ignore rules. */
export function engineFor(engine: EngineOptions, entry: DesiredEntry): EngineOptions {
  if (!entry.ignore?.length) return engine;
  return { ...engine, rules: { ...engine.rules, ignore: [...(engine.rules.ignore ?? []), ...entry.ignore] } };
}

/** The verdict on `entry` against `live` (undefined: the object is missing), with its source. */
export async function objectVerdict(
  engine: EngineOptions,
  entry: DesiredEntry,
  live: KubeObject | undefined,
): Promise<SourcedResult> {
  const result = analyzeResource(entry.desired, live, engineFor(engine, entry), { gitCommit: entry.commit });
  return { ...result, source: entry.source ?? null };
}
