// The verdict on one desired object: the engine compares it with its live counterpart. This is the
// one per-object step between the inputs (desired entry, live object) and the record's transition
// (records/next-state.ts). It is async so the stages that belong between the two can go here: a
// confirmation of what the comparison shows as drift, and a memo that skips the engine for inputs
// it has judged before.
import { analyzeResource, type EngineOptions, type RuleHits } from '../../shared/engine/index.ts';
import type { ConfirmStage } from '../../shared/node/kube/confirm/stage.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { DesiredEntry } from '../git/desired-view.ts';
import type { SourcedResult } from '../records/lifecycle.ts';

/**
 * The engine options for one entry: its source (rules with `source:` read it) and its source's
 * unstable fields, which join the ignore rules.
 */
export function engineFor(engine: EngineOptions, entry: DesiredEntry): EngineOptions {
  const sourced = entry.source === undefined ? engine : { ...engine, source: entry.source };
  if (!entry.ignore?.length) return sourced;
  return {
    ...sourced,
    rules: { ...engine.rules, ignore: [...(engine.rules.ignore ?? []), ...entry.ignore] },
  };
}

/**
 * The verdict on `entry` against `live` (undefined: the object is missing), with its source.
 * `confirm`: suspected drift is confirmed with the API server (a dry-run of Git's object; cached
 * per live version and desired state), or marked unconfirmed when confirm is off. `hits`: filled
 * with the fields each ignore rule made not drift.
 */
export async function objectVerdict(
  engine: EngineOptions,
  entry: DesiredEntry,
  live: KubeObject | undefined,
  confirm?: ConfirmStage,
  hits?: RuleHits,
): Promise<SourcedResult> {
  const opts = engineFor(engine, entry);
  const ctx = { gitCommit: entry.commit, ...(hits ? { hits } : {}) };
  const result = confirm
    ? await confirm.verdict(entry.desired, live, opts, ctx)
    : analyzeResource(entry.desired, live, opts, ctx);
  return { ...result, source: entry.source ?? null };
}
