// A batch of ids: each one's decision (id-step.ts), the records that changed stored together in
// one Store.saveRecords call, and only then announced, tallied and counted. A failed write is
// logged per resource and counted in the status; its id is analysed again next time.
import type { AnalysisStatus, DriftRecord } from '../../shared/types.ts';
import { errorMessage } from '../../shared/errors.ts';
import { announce } from '../records/announce.ts';
import type { AnalysisContext } from './context.ts';
import { awaitsConfirm, decideId, rememberedId, type IdOutcome } from './id-step.ts';
import { addError, type Counts } from './status.ts';
import { mapBounded } from './bounded.ts';

/**
 * How many ids of a batch may await their verdict at once. Confirm requests still go through
 * their budget (QPS, burst); this only keeps them from waiting for each other's round trips.
 */
const ID_CONCURRENCY = 16;

type Decided = { id: string; before: DriftRecord | null; outcome: IdOutcome };

export async function analyzeIds(
  ctx: AnalysisContext,
  ids: readonly string[],
  previous: ReadonlyMap<string, DriftRecord>,
  counts: Counts,
  status: AnalysisStatus | null,
  /** A full pass: every record's due time is noted again (changes.ts), not only rewritten ones'. */
  full = false,
): Promise<void> {
  const { deps } = ctx;
  let failures = 0;
  let lastError = '';
  const failed = (id: string, err: unknown) => {
    failures++;
    lastError = errorMessage(err);
    deps.log.error(
      { event: 'store_write_failed', resource_id: id, err: lastError },
      'could not store the analysis of this resource',
    );
  };
  const now = ctx.nowIso();
  const verdicts = { computed: 0, remembered: 0 };
  // Remembered verdicts are taken at once, without awaiting; the others (the engine, maybe a
  // confirm dry-run) are decided ID_CONCURRENCY at a time. Both keep the batch's order.
  const slots: (Decided | null)[] = [];
  const pending: { slot: number; id: string; before: DriftRecord | null }[] = [];
  for (const id of ids) {
    if (!ctx.running()) break;
    const before = previous.get(id) ?? null;
    const outcome = rememberedId(ctx, id, before, now);
    if (!outcome) pending.push({ slot: slots.length, id, before });
    slots.push(outcome ? { id, before, outcome } : null);
  }
  await mapBounded(pending, ID_CONCURRENCY, async ({ slot, id, before }) => {
    if (!ctx.running()) return;
    try {
      const outcome = await decideId(ctx, id, before, now);
      if (outcome !== null) slots[slot] = { id, before, outcome };
    } catch (err) {
      failed(id, err);
    }
  });
  const decided = slots.filter((d): d is Decided => d !== null);
  const writes = decided.flatMap(({ outcome: o }) =>
    o.write && o.record ? [{ record: o.record, event: o.event }] : [],
  );
  // Records without an event are written behind (the store has them for reads at once): a first
  // start on MongoDB does not wait for 10,000 inserts. Transitions are awaited: announced only once stored.
  const behind = deps.store.saveRecordsBehind ? writes.filter((w) => !w.event) : [];
  const awaited = behind.length > 0 ? writes.filter((w) => w.event) : writes;
  if (behind.length > 0) deps.store.saveRecordsBehind?.(behind);
  let written = true;
  if (awaited.length > 0) {
    try {
      await deps.store.saveRecords(awaited);
    } catch (err) {
      written = false;
      for (const w of awaited) failed(w.record.resource_id, err);
    }
  }
  for (const { id, before, outcome } of decided) {
    if (outcome.memoKey) verdicts[outcome.remembered ? 'remembered' : 'computed']++;
    if (outcome.write && !written && (outcome.event || behind.length === 0)) continue;
    if (outcome.memoKey) ctx.memo.remember(id, outcome.memoKey, outcome.record?.verdict_key);
    if (outcome.write && outcome.record) announce(deps, outcome.record, outcome.event, outcome.live);
    if (outcome.record && (full || outcome.write))
      ctx.changes.record(outcome.record, deps.touchAfterMs, awaitsConfirm(ctx, outcome.record));
    ctx.tallies.tally(id, before, outcome.record);
    counts.resources++;
    if (outcome.outcome === 'detected') counts.detected++;
    if (outcome.outcome === 'resolved') counts.resolved++;
    if (outcome.record?.drift_status === 'active') counts.drifted++;
  }
  deps.metrics.verdicts(verdicts.computed, verdicts.remembered);
  if (status && failures > 0) addError(status, `${failures} record write(s) failed: ${lastError}`);
}
