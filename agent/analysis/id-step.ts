// One id's decision: which of the paths it takes (not readable, Unmanaged, left Git, unchanged since
// the last run, or the verdict on its desired object) and the record it leads to. Writes only the
// transitions that happen outside a batch (records/retire.ts); the rest is written with its batch.
import { parseResourceId, type DriftEvent, type DriftRecord, type KubeObject } from '../../shared/types.ts';
import { isUnmanagedRecord, nextState, touchDue, type StepOutcome } from '../records/next-state.ts';
import { removeRecord, resolveNow } from '../records/retire.ts';
import type { AnalysisContext } from './context.ts';
import type { Seen } from './skip-cache.ts';
import { objectVerdict } from './verdict.ts';

/** One id's outcome: its next record (null: removed), whether it must be written, what to remember. */
export interface IdOutcome {
  outcome: StepOutcome;
  record: DriftRecord | null;
  event: DriftEvent | null;
  write: boolean;
  /** The involved object of its Kubernetes Event. */
  live?: KubeObject | undefined;
  seen?: Seen;
}

/**
 * null: not tracked (neither in Git nor stored, or not readable). A null record: it was removed.
 * `full`: part of a full run, which may skip an id whose inputs are unchanged.
 */
export async function decideId(
  ctx: AnalysisContext,
  id: string,
  previous: DriftRecord | null,
  now: string,
  full: boolean,
): Promise<IdOutcome | null> {
  const { deps } = ctx;
  if (deps.analysable) {
    const parsed = parseResourceId(id);
    if (parsed && !deps.analysable(parsed.kind, parsed.namespace)) return null;
  }
  const entry = deps.desired.get(id);
  if (!entry) {
    ctx.seen.forget(id);
    const unmanaged = ctx.unmanaged.step(id, previous, now, deps);
    if (unmanaged) return unmanaged;
    if (!previous) return null;
    await removeRecord(deps, previous, now);
    return { outcome: 'removed', record: null, event: null, write: false };
  }
  // A source declares an Unmanaged object now: that record resolves, and the tracked object's own
  // verdict follows as its own episode (a drift of it is its own record type).
  if (previous && isUnmanagedRecord(previous) && previous.drift_status === 'active')
    previous = await resolveNow(deps, previous, now);
  const live = deps.live.get(id, entry.desired.object.apiVersion);
  const engine = deps.engine();
  if (
    full &&
    previous &&
    ctx.seen.unchanged(id, { live, entry, record: previous, engine }) &&
    !touchDue(previous, now, deps.touchAfterMs)
  )
    return { outcome: 'skipped', record: previous, event: null, write: false };
  const step = nextState(deps, await objectVerdict(engine, entry, live), previous, now);
  return { ...step, live, seen: { live, entry: { ...entry }, record: step.record, engine } };
}
