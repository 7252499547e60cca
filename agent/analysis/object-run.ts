// A batch of single objects (watch events, Git changes): their previous records read in one call,
// analysed and stored together. While the store cannot be read the batch goes back to the queue
// and is retried (1 s, growing to 10 s); a Git batch gets its own analysis status.
import { Backoff } from '../../shared/backoff.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { errorMessage } from '../../shared/errors.ts';
import { analyzeIds } from './analyze-ids.ts';
import type { AnalysisContext } from './context.ts';
import type { ObjectTrigger, WorkQueue } from './queue.ts';
import { emptyCounts, finishStatus, runningStatus } from './status.ts';

export class ObjectRun {
  /** Pacing of record reads retried while the store is down: 1 s, growing to 10 s. */
  private readonly readRetry = new Backoff({ initialMs: 1000, maxMs: 10_000 });

  constructor(
    private readonly ctx: AnalysisContext,
    private readonly queue: WorkQueue,
    /** Resolves on stop: a retry does not wait past it. */
    private readonly stopping: Promise<void>,
  ) {}

  /** Runs every object now pending. */
  async runPending(): Promise<void> {
    await this.run(this.queue.takeObjects());
  }

  private async run(batch: Map<string, ObjectTrigger>): Promise<void> {
    const { ctx } = this;
    const { deps } = ctx;
    const started = performance.now();
    const ids = [...batch.keys()];
    const gitIds = ids.filter((id) => batch.get(id) === 'git');
    if (gitIds.length > 0) {
      ctx.unmanaged.forgetDeclared();
      // What Git declares changed: an Unmanaged object may be a generator's left-over now (or back).
      for (const id of ctx.unmanaged.activeIds()) if (!batch.has(id)) ids.push(id);
    }
    // Only tracked ids need their previous record, ids Git changed (one that left Git has a record
    // to remove) and Unmanaged candidates. A watch event for any other object Git does not hold
    // costs no store read: if it has a record, the full run that follows the first Git load removes it.
    const wanted = ids.filter(
      (id) => batch.get(id) === 'git' || deps.desired.get(id) !== undefined || ctx.unmanaged.wanted(id),
    );
    let previous = new Map<string, DriftRecord>();
    try {
      if (gitIds.length > 0) await deps.live.ensure?.(gitIds);
      if (wanted.length > 0) previous = await deps.store.getRecords(wanted);
      this.readRetry.reset();
    } catch (err) {
      deps.log.error(
        { event: 'store_write_failed', err: errorMessage(err) },
        'could not read records; will retry',
      );
      this.queue.requeue(batch, ids);
      // Wait before the retry (longer while the store stays down), but not past a stop.
      const delay = this.readRetry.next();
      await Promise.race([new Promise((r) => setTimeout(r, delay).unref()), this.stopping]);
      return;
    }
    // Created only once the batch really runs, so a retried batch leaves no status stuck at running.
    let status = null;
    if (gitIds.length > 0) {
      status = runningStatus('git', ctx.nowIso());
      ctx.statuses.add(status);
    }
    const counts = emptyCounts();
    await analyzeIds(ctx, wanted, previous, counts, status);
    const seconds = (performance.now() - started) / 1000;
    for (const trigger of new Set(batch.values())) deps.metrics.observeSync(trigger, seconds);
    // A write failure analyzeIds added to the status fails it (as in a full run), never a silent completed.
    if (status) finishStatus(status, counts, status.error, ctx.nowIso());
    ctx.tallies.publish(deps.metrics);
  }
}
