// A full run: every stored record, every desired object and (drift.unmanaged: report) every
// Unmanaged candidate, in chunks whose previous records are read in one call. The run yields to
// the event loop between chunks and runs the single objects that arrived meanwhile first, so the
// API and the detection of a change never wait for a whole pass. When nothing outside single
// objects changed since the last complete pass (changes.ts), the run takes only the ids that
// changed or come due: a quiet cluster's full run is its status alone.
import type { AnalysisStatus } from '../../shared/types.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { SyncTrigger } from '../metrics.ts';
import { analyzeIds } from './analyze-ids.ts';
import type { Epoch } from './changes.ts';
import type { AnalysisContext } from './context.ts';
import { emptyCounts, finishStatus, type Counts } from './status.ts';

/** Ids per chunk of a full run: a chunk's previous records are read in one call. */
const CHUNK = 256;
/** A full run yields to the event loop after this much work (ms). */
const SLICE_MS = 10;

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `status`'s analysis to its end; `between` runs the single objects waiting, if any. */
export async function runFull(
  ctx: AnalysisContext,
  status: AnalysisStatus,
  between: () => Promise<void>,
): Promise<void> {
  const { deps } = ctx;
  const started = performance.now();
  const startedAt = ctx.nowIso();
  deps.log.debug(
    { event: 'analysis_started', analysis_id: status.analysis_id, trigger: status.trigger },
    'analysis started',
  );
  const epoch: Epoch = {
    engine: deps.engine(),
    commit: deps.gitCommit(),
    liveMark: deps.live.changeMark?.(),
  };
  let full = false;
  // The records this run writes behind go to the database once it ends, not while it computes.
  const release = deps.store.holdBehind?.();
  try {
    const changed = ctx.changes.plan(epoch, Date.parse(startedAt));
    full = changed === null;
    const counts =
      changed === null ? await fullPass(ctx, status, between) : await changedOnly(ctx, changed, status);
    ctx.changes.ended(
      epoch,
      Date.parse(startedAt),
      full,
      ctx.running() && status.error === null,
      counts.resources,
    );
    const seconds = (performance.now() - started) / 1000;
    const saved = deps.store.saveLastAnalysis({
      started_at: startedAt,
      finished_at: ctx.nowIso(),
      duration_seconds: seconds,
      resources: counts.resources,
      git_commit: deps.gitCommit(),
      ...(deps.agentVersion !== undefined ? { agent_version: deps.agentVersion } : {}),
    });
    // A store that writes records behind answers lastAnalysis at once: the run's answer does not
    // wait for the writes queued ahead of this one (a first start's inserts on MongoDB).
    if (deps.store.saveRecordsBehind)
      saved.catch((err: unknown) =>
        deps.log.error(
          { event: 'store_write_failed', err: errorMessage(err) },
          'could not store the last analysis',
        ),
      );
    else await saved;
    deps.metrics.observeSync(status.trigger as SyncTrigger, seconds);
    deps.metrics.analysisRun(status.trigger as SyncTrigger, status.error === null, new Date());
    finishStatus(status, counts, status.error, ctx.nowIso());
    deps.log.info(
      {
        event: 'analysis_completed',
        analysis_id: status.analysis_id,
        trigger: status.trigger,
        resources: counts.resources,
        drifted: counts.drifted,
        detected: counts.detected,
        resolved: counts.resolved,
        duration_ms: Math.round(seconds * 1000),
        pass: full ? 'full' : 'changed',
      },
      `analysis of ${counts.resources} resources: ${counts.drifted} drifted`,
    );
  } catch (err) {
    ctx.changes.ended(epoch, Date.parse(startedAt), full, false, 0);
    const message = errorMessage(err);
    deps.metrics.analysisRun(status.trigger as SyncTrigger, false, new Date());
    finishStatus(status, status, message, ctx.nowIso());
    deps.log.error(
      { event: 'analysis_failed', analysis_id: status.analysis_id, trigger: status.trigger, err: message },
      'analysis failed',
    );
  } finally {
    release?.();
  }
  ctx.tallies.publish(deps.metrics);
}

/** Every stored record, every desired object, every Unmanaged candidate; its counts. */
async function fullPass(
  ctx: AnalysisContext,
  status: AnalysisStatus,
  between: () => Promise<void>,
): Promise<Counts> {
  const { deps } = ctx;
  // Every stored record, also those whose object has left Git.
  const stored = await deps.store.allRecords();
  ctx.tallies.recount(stored);
  const ids = new Set<string>();
  for (const r of stored) ids.add(r.resource_id);
  for (const [id] of deps.desired.entries()) ids.add(id);
  deps.live.compact?.();
  ctx.unmanaged.forgetDeclared();
  for (const id of ctx.unmanaged.candidates()) ids.add(id);
  ctx.memo.retain(ids);
  ctx.ruleTally.retain(ids);
  const all = [...ids];
  const counts = emptyCounts();
  let slice = performance.now();
  for (let i = 0; i < all.length && ctx.running(); i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    await deps.live.ensure?.(chunk);
    // Read per chunk, not once: a change analysed between chunks has a newer record.
    const previous = await deps.store.getRecords(chunk);
    await analyzeIds(ctx, chunk, previous, counts, status, true);
    if (performance.now() - slice >= SLICE_MS) {
      await yieldToLoop();
      // Changes that arrived meanwhile go first: detection does not wait for the pass.
      if (ctx.running()) await between();
      slice = performance.now();
    }
  }
  return counts;
}

/**
 * Only the ids that changed or come due since the last full pass (changes.ts). Its counts are
 * those of a full pass: the totals from the tallies, what was detected and resolved from the ids.
 */
async function changedOnly(ctx: AnalysisContext, changed: string[], status: AnalysisStatus): Promise<Counts> {
  const { deps } = ctx;
  // As a single object's run: only ids that can have a record are read from the store.
  const ids = changed.filter((id) => deps.desired.get(id) !== undefined || ctx.unmanaged.wanted(id));
  const counts = emptyCounts();
  if (ids.length > 0) {
    await deps.live.ensure?.(ids);
    await analyzeIds(ctx, ids, await deps.store.getRecords(ids), counts, status);
  }
  const totals = ctx.tallies.totals();
  return { ...counts, resources: totals.records, drifted: totals.drifted };
}
