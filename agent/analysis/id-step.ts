// One id's decision: which of the paths it takes (not readable, Unmanaged, left Git, a verdict
// remembered because its inputs are unchanged (memo.ts), or the verdict on its desired object) and
// the record it leads to. Writes only the
// transitions that happen outside a batch (records/retire.ts); the rest is written with its batch.
import { emptyHits } from '../../shared/engine/index.ts';
import { parseResourceId, type DriftEvent, type DriftRecord, type KubeObject } from '../../shared/types.ts';
import { isUnmanagedRecord, nextState, touchDue, type StepOutcome } from '../records/next-state.ts';
import { removeRecord, resolveNow } from '../records/retire.ts';
import type { AnalysisContext } from './context.ts';
import { objectVerdict } from './verdict.ts';

/** One id's outcome: its next record (null: removed), whether it must be written, what to remember. */
export interface IdOutcome {
  outcome: StepOutcome;
  record: DriftRecord | null;
  event: DriftEvent | null;
  write: boolean;
  /** The involved object of its Kubernetes Event. */
  live?: KubeObject | undefined;
  /** The memo key of this verdict's inputs (tracked objects only). */
  memoKey?: string;
  /** The verdict was remembered: the engine did not run. */
  remembered?: boolean;
}

/**
 * null: not tracked (neither in Git nor stored, or not readable). A null record: it was removed.
 * Full runs and single objects take the same memo (a single object's inputs changed: it misses).
 */
export async function decideId(
  ctx: AnalysisContext,
  id: string,
  previous: DriftRecord | null,
  now: string,
): Promise<IdOutcome | null> {
  const { deps } = ctx;
  if (!readable(ctx, id)) return null;
  const entry = deps.desired.get(id);
  if (!entry) {
    ctx.memo.forget(id);
    ctx.ruleTally.forget(id);
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
  const memoKey = ctx.memo.key(entry, live, engine);
  if (
    previous &&
    !awaitsConfirm(ctx, previous) &&
    ctx.memo.remembered(id, previous.verdict_key) === memoKey &&
    ctx.ruleTally.known(id, entry, engine)
  )
    return rememberedStep(ctx, previous, memoKey, now);
  const hits = emptyHits();
  const verdict = await objectVerdict(engine, entry, live, deps.confirm, hits);
  ctx.ruleTally.set(id, hits);
  const step = nextState(deps, verdict, previous, now, memoKey);
  return { ...step, live, memoKey };
}

/**
 * The verdict of a tracked id whose inputs are those of its stored verdict, without awaiting
 * anything (a full run over 10,000 unchanged objects is 10,000 of these); undefined: decideId.
 */
export function rememberedId(
  ctx: AnalysisContext,
  id: string,
  previous: DriftRecord | null,
  now: string,
): IdOutcome | undefined {
  if (!previous || previous.verdict_key == null || awaitsConfirm(ctx, previous)) return undefined;
  const entry = ctx.deps.desired.get(id);
  if (!entry || !readable(ctx, id)) return undefined;
  const live = ctx.deps.live.get(id, entry.desired.object.apiVersion);
  const engine = ctx.deps.engine();
  const memoKey = ctx.memo.key(entry, live, engine);
  if (ctx.memo.remembered(id, previous.verdict_key) !== memoKey) return undefined;
  if (!ctx.ruleTally.known(id, entry, engine)) return undefined;
  return rememberedStep(ctx, previous, memoKey, now);
}

/**
 * A verdict the API server could not confirm (refused, timed out) is not remembered while confirm
 * is on: it is made again, and the confirm cache decides when to ask the server again.
 */
export function awaitsConfirm(ctx: AnalysisContext, record: DriftRecord): boolean {
  return ctx.deps.confirm?.confirmer != null && record.drift_details.some((d) => d.confirmed === false);
}

/** False for an id of a kind (and namespace) the agent may not read. */
function readable(ctx: AnalysisContext, id: string): boolean {
  if (!ctx.deps.analysable) return true;
  const parsed = parseResourceId(id);
  return !parsed || ctx.deps.analysable(parsed.kind, parsed.namespace);
}

/**
 * The same inputs as the stored verdict: the same verdict, without the engine (or the stages after
 * it). Only the clock moves: a record whose last_checked is due is rewritten with the new one.
 */
function rememberedStep(
  ctx: AnalysisContext,
  previous: DriftRecord,
  memoKey: string,
  now: string,
): IdOutcome {
  if (!touchDue(previous, now, ctx.deps.touchAfterMs))
    return { outcome: 'skipped', record: previous, event: null, write: false, memoKey, remembered: true };
  const record = { ...previous, last_checked: now, verdict_key: memoKey };
  return { outcome: 'written', record, event: null, write: true, memoKey, remembered: true };
}
