// A Job Git declares with `ttlSecondsAfterFinished` is meant to disappear: the TTL-after-finished
// controller deletes it once it has finished. Its absence is then what Git asked for, not Missing.
// The engine cannot see history, so the adapters say which Jobs they have evidence of having
// finished (EngineOptions.finishedJobs: the agent saw it finish before its deletion; the plugin
// read the Job controller's finishing Event). Without evidence an absent Job stays Missing: a Job
// deleted by hand before it finished is drift.
import type { JsonValue, KubeObject } from '../types.ts';
import { arr, isObject, obj } from './json.ts';
import type { EngineOptions } from './options.ts';

/** Git asks the TTL controller to delete this Job once it has finished. */
export function hasFinishedTtl(o: KubeObject): boolean {
  return (
    o.kind === 'Job' &&
    o.apiVersion === 'batch/v1' &&
    typeof obj(o, 'spec')?.['ttlSecondsAfterFinished'] === 'number'
  );
}

/** The Job has finished (condition Complete or Failed is True), as the TTL controller decides. */
export function jobFinished(o: KubeObject | undefined): boolean {
  if (!o || o.kind !== 'Job') return false;
  return (arr(obj(o as JsonValue, 'status'), 'conditions') ?? []).some(
    (c) => isObject(c) && (c['type'] === 'Complete' || c['type'] === 'Failed') && c['status'] === 'True',
  );
}

/** Absent live, and removed as Git asked: a finished Job its own TTL cleaned up. */
export function cleanedUpByTtl(desired: KubeObject, id: string, opts: EngineOptions): boolean {
  return hasFinishedTtl(desired) && opts.finishedJobs?.has(id) === true;
}
