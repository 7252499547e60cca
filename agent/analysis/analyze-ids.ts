// A batch of ids: each one's decision (id-step.ts), the records that changed stored together in
// one Store.saveRecords call, and only then announced, tallied and counted. A failed write is
// logged per resource and counted in the status; its id is analysed again next time.
import type { AnalysisStatus, DriftRecord } from '../../shared/types.ts';
import { errorMessage } from '../../shared/errors.ts';
import { announce } from '../records/announce.ts';
import type { AnalysisContext } from './context.ts';
import { decideId, type IdOutcome } from './id-step.ts';
import { addError, type Counts } from './status.ts';

export async function analyzeIds(
  ctx: AnalysisContext,
  ids: readonly string[],
  previous: ReadonlyMap<string, DriftRecord>,
  counts: Counts,
  status: AnalysisStatus | null,
  full: boolean,
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
  const decided: { id: string; before: DriftRecord | null; outcome: IdOutcome }[] = [];
  for (const id of ids) {
    if (!ctx.running()) break;
    const before = previous.get(id) ?? null;
    try {
      const outcome = await decideId(ctx, id, before, now, full);
      if (outcome !== null) decided.push({ id, before, outcome });
    } catch (err) {
      failed(id, err);
    }
  }
  const writes = decided.flatMap(({ outcome: o }) =>
    o.write && o.record ? [{ record: o.record, event: o.event }] : [],
  );
  let written = true;
  if (writes.length > 0) {
    try {
      await deps.store.saveRecords(writes);
    } catch (err) {
      written = false;
      for (const w of writes) failed(w.record.resource_id, err);
    }
  }
  for (const { id, before, outcome } of decided) {
    if (outcome.write && !written) continue;
    if (outcome.seen) ctx.seen.remember(id, outcome.seen);
    if (outcome.write && outcome.record) announce(deps, outcome.record, outcome.event, outcome.live);
    ctx.tallies.tally(id, before, outcome.record);
    counts.resources++;
    if (outcome.outcome === 'detected') counts.detected++;
    if (outcome.outcome === 'resolved') counts.resolved++;
    if (outcome.record?.drift_status === 'active') counts.drifted++;
  }
  if (status && failures > 0) addError(status, `${failures} record write(s) failed: ${lastError}`);
}
