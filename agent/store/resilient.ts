// A Store that survives a database outage. A write that fails is queued in memory, in order, and
// retried with backoff until the database answers again, so no transition is lost; the caller's
// write resolves once it is either written or queued. Reads see the queued writes: single records
// come from the queue or from the records this agent last read or wrote (it is their only writer),
// so the agent keeps computing transitions during the outage; list, history and event reads first
// try to write the queue out and otherwise fail with StoreUnavailableError (the API answers 503).
// As the only writer of its database (the default, `exclusive`), once one full read has filled the
// cache it answers record reads from it without I/O: full runs, previous records and /statistics
// then cost no database round trip, and the records are held once in memory.
// Records written behind (saveRecordsBehind: a first start's 10,000 inserts) wait in their own lane
// and go to the database one slice at a time, so a direct write (a transition) waits for one slice
// at most, never for the whole lane; a direct write of the same record replaces its pending one.
// On close the lane is dropped after the slice in flight: those records were never announced, and
// the next start analyses their objects again (a restart does not wait for a backlog).
// As the only writer, the first record read of any kind waits for one full read (started early by
// preload()) instead of going to the database id by id: on FerretDB a read of a few ids scans the
// collection (~1.5 s at 10,000 records), and a restart's stream of single objects (status updates
// of Deployments) once held its first full run for minutes that way.
import { Backoff } from '../../shared/backoff.ts';
import type {
  ClusterStatistics,
  DriftEvent,
  DriftRecord,
  LastAnalysis,
  StoredWaiver,
} from '../../shared/types.ts';
import type { ClusterTallies } from '../records/cluster-statistics.ts';
import { byResourceId } from './filters.ts';
import { RecordCache } from './record-cache.ts';
import type { RecordPage, RecordQuery, RecordWrite, Store } from './store.ts';
import { WriteQueue, type WriteOp } from './write-queue.ts';

export class StoreUnavailableError extends Error {
  constructor(operation: string, pending: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : 'database not reachable';
    super(`store unavailable for ${operation}: ${pending} write(s) waiting for the database (${why})`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}

export interface ResilientStoreOptions {
  /** A write, an init, a retry or the first full read failed (log `store_write_failed`); `op` names it, e.g. `saveRecord`, `retry:saveRecord`, `init`, `read:allRecords`. */
  onError?: (err: Error, op: string) => void;
  /** A full read filled the cache: `records` read in `ms`, from the database or its snapshot (log `store_loaded`). */
  onLoaded?: (records: number, ms: number, from: 'database' | 'snapshot') => void;
  /** The queue was written out after an outage; `written` writes were replayed (log `store_recovered`). */
  onRecovered?: (written: number) => void;
  /**
   * First retry delay (default 250 ms), doubled after each failed retry up to maxBackoffMs
   * (default 10 s), with jitter (shared/backoff.ts).
   */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * This process is the only writer of the records (default true). False when another process
   * writes the same database, e.g. a follower under leader election (then every read goes to the
   * database; the cache only bridges outages). See setExclusive.
   */
  exclusive?: boolean;
}

/** Records written behind go to the database this many at a time (one store batch). */
export const BEHIND_SLICE = 256;

/** A write as callers make it: a batch is queued as its single writes, so the queue can merge them. */
type Write = WriteOp | { op: 'saveRecords'; writes: readonly RecordWrite[] };

function apply(store: Store, write: Write): Promise<void> {
  if (write.op === 'saveRecords') return store.saveRecords(write.writes);
  if (write.op === 'saveRecord') return store.saveRecord(write.record, write.event);
  if (write.op === 'deleteRecord') return store.deleteRecord(write.resourceId);
  return store.saveLastAnalysis(write.analysis);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export class ResilientStore implements Store {
  private readonly queue = new WriteQueue();
  private readonly cache = new RecordCache();
  /** Writes run one after another, so a direct write never overtakes a queued one. */
  private chain: Promise<void> = Promise.resolve();
  private draining: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private initPending = false;
  private inOutage = false;
  private replayed = 0;
  /** Counts writes (see revision). */
  private writeSeq = 0;
  /** Writes made and not yet written or queued (see revision). */
  private inFlight = 0;
  private closed = false;
  private exclusive: boolean;
  /** The last analysis this process saved (see lastAnalysis). */
  private latestAnalysis: LastAnalysis | undefined;
  /** Records written behind, not yet handed to the write chain (newest per id, oldest first). */
  private readonly behind = new Map<string, RecordWrite>();
  /** The loop handing the behind lane to the write chain a slice at a time, while it runs. */
  private pumping: Promise<void> | undefined;
  /** Holds on the behind lane not yet released (holdBehind); the pump waits while there are any. */
  private holds = 0;
  /** Wakes the pump waiting for the holds to end. */
  private wake: (() => void) | undefined;
  /** The full read under way, joined by every read that waits for it (see fill). */
  private filling: Promise<DriftRecord[]> | undefined;
  /** Records written (null: deleted) since the full read under way began: newer than what it returns. */
  private writtenDuringFill: Map<string, DriftRecord | null> | undefined;

  constructor(
    private readonly inner: Store,
    private readonly options: ResilientStoreOptions = {},
  ) {
    this.backoff = new Backoff({
      initialMs: options.initialBackoffMs ?? 250,
      maxMs: options.maxBackoffMs ?? 10_000,
    });
    this.exclusive = options.exclusive !== false;
  }

  /** Writes waiting for the database (for readiness and logs). */
  pendingWrites(): number {
    return this.queue.size;
  }

  /** Records written behind and not yet handed to the database. */
  behindWrites(): number {
    return this.behind.size;
  }

  /**
   * As the only writer: reads every record now, in the background, so the first reads (a start's
   * first analysis) find them in memory. Nothing to do when the cache is complete or not trusted.
   */
  preload(): void {
    void this.filled();
  }

  /** Tries the inner init once; on failure keeps retrying in the background (ping stays false). */
  async init(): Promise<void> {
    try {
      await this.inner.init();
    } catch (err) {
      this.initPending = true;
      this.failed(err, 'init');
    }
  }

  async ping(): Promise<boolean> {
    if (this.initPending || this.queue.size > 0) return false;
    return this.inner.ping();
  }

  // ---- writes ----

  saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void> {
    this.cache.set(record);
    this.behind.delete(record.resource_id);
    return this.write({ op: 'saveRecord', record, event });
  }

  saveRecords(writes: readonly RecordWrite[]): Promise<void> {
    for (const w of writes) {
      this.cache.set(w.record);
      this.behind.delete(w.record.resource_id);
    }
    return this.write({ op: 'saveRecords', writes });
  }

  saveRecordsBehind(writes: readonly RecordWrite[]): void {
    if (this.closed) return;
    for (const w of writes) {
      this.cache.set(w.record);
      this.writtenDuringFill?.set(w.record.resource_id, w.record);
      // Re-inserted: a newer version of a record goes after the ones written behind before it.
      this.behind.delete(w.record.resource_id);
      this.behind.set(w.record.resource_id, w);
    }
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  holdBehind(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.wakePump();
    };
  }

  private wakePump(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Hands the behind lane to the write chain one slice at a time; direct writes go in between. */
  private async pump(): Promise<void> {
    while (this.behind.size > 0 && !this.closed) {
      if (this.holds > 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      const slice: RecordWrite[] = [];
      for (const [id, w] of this.behind) {
        slice.push(w);
        this.behind.delete(id);
        if (slice.length === BEHIND_SLICE) break;
      }
      // write() rejects only once closed (a failed write is queued and retried).
      await this.write({ op: 'saveRecords', writes: slice }).catch(() => undefined);
    }
  }

  deleteRecord(resourceId: string): Promise<void> {
    this.cache.delete(resourceId);
    this.behind.delete(resourceId);
    return this.write({ op: 'deleteRecord', resourceId });
  }

  saveLastAnalysis(analysis: LastAnalysis): Promise<void> {
    this.latestAnalysis = analysis;
    return this.write({ op: 'saveLastAnalysis', analysis });
  }

  private write(write: Write): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    this.noteDuringFill(write);
    this.writeSeq++;
    this.inFlight++;
    const run = this.chain
      .then(() => this.writeNow(write))
      .finally(() => {
        this.inFlight--;
      });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A write made while a full read runs wins over what that read returns. */
  private noteDuringFill(write: Write): void {
    const written = this.writtenDuringFill;
    if (!written) return;
    if (write.op === 'saveRecords') for (const w of write.writes) written.set(w.record.resource_id, w.record);
    else if (write.op === 'saveRecord') written.set(write.record.resource_id, write.record);
    else if (write.op === 'deleteRecord') written.set(write.resourceId, null);
  }

  private async writeNow(write: Write): Promise<void> {
    if (this.queue.size > 0) {
      this.enqueue(write);
      this.schedule();
      return;
    }
    try {
      await apply(this.inner, write);
    } catch (err) {
      // A failed batch is retried write by write: each is idempotent, so any part already written is harmless.
      this.enqueue(write);
      this.failed(err, write.op);
    }
  }

  private enqueue(write: Write): void {
    if (write.op !== 'saveRecords') this.queue.push(write);
    else for (const w of write.writes) this.queue.push({ op: 'saveRecord', ...w });
  }

  // ---- retry loop ----

  private failed(err: unknown, op: string): void {
    this.inOutage = true;
    this.options.onError?.(asError(err), op);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain().then((ok) => {
        if (!ok) this.schedule();
      });
    }, this.backoff.next());
    // Pending retries alone do not keep the process alive; close() makes a last attempt.
    this.timer.unref();
  }

  /** Writes the queue out in order; true when nothing is left. One drain runs at a time. */
  private drain(): Promise<boolean> {
    this.draining ??= this.drainNow().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainNow(): Promise<boolean> {
    if (this.initPending) {
      try {
        await this.inner.init();
        this.initPending = false;
      } catch (err) {
        this.options.onError?.(asError(err), 'init');
        return false;
      }
    }
    for (let write = this.queue.head(); write; write = this.queue.head()) {
      try {
        await apply(this.inner, write);
      } catch (err) {
        this.queue.failed();
        this.options.onError?.(asError(err), `retry:${write.op}`);
        return false;
      }
      this.queue.done();
      this.replayed++;
    }
    this.recovered();
    return true;
  }

  private recovered(): void {
    this.backoff.reset();
    if (!this.inOutage) return;
    this.inOutage = false;
    const n = this.replayed;
    this.replayed = 0;
    this.options.onRecovered?.(n);
  }

  // ---- reads ----

  async getRecord(resourceId: string): Promise<DriftRecord | null> {
    if (await this.filled()) return this.cache.get(resourceId) ?? null;
    const pending = this.pendingRecord(resourceId);
    if (pending !== undefined) return pending;
    // During an outage do not wait a server-selection timeout for what the cache knows.
    const known = this.inOutage ? this.cache.get(resourceId) : undefined;
    if (known !== undefined) return known;
    try {
      const record = await this.inner.getRecord(resourceId);
      if (record && this.cache.get(resourceId) === undefined) this.cache.set(record);
      return record;
    } catch (err) {
      const known = this.cache.get(resourceId);
      if (known !== undefined) return known;
      throw new StoreUnavailableError('getRecord', this.queue.size, err);
    }
  }

  /**
   * Whether this process is now the only writer (leader election: true while leading). Becoming
   * exclusive forgets completeness: another writer may have written meanwhile, so the next full
   * read refills the cache from the database before reads are answered from it.
   */
  setExclusive(exclusive: boolean): void {
    if (exclusive && !this.exclusive) {
      this.cache.forgetComplete();
      this.latestAnalysis = undefined;
      this.inner.snapshots?.rearm();
    }
    this.exclusive = exclusive;
  }

  /**
   * The write count while the cache is exact and complete and the database holds everything it
   * holds (no write in flight or queued), so events and the last analysis read now match it.
   */
  revision(): number | null {
    return this.authoritative && this.inFlight === 0 && this.queue.size === 0 && this.behind.size === 0
      ? this.writeSeq
      : null;
  }

  /** A record written and not yet in the database (queued after a failure, or behind), null: deleted. */
  private pendingRecord(resourceId: string): DriftRecord | null | undefined {
    return this.queue.pendingRecord(resourceId) ?? this.behind.get(resourceId)?.record;
  }

  /** The cache is exact and complete: reads need not go to the database. */
  private get authoritative(): boolean {
    return this.exclusive && this.cache.isComplete;
  }

  async getRecords(resourceIds: string[]): Promise<Map<string, DriftRecord>> {
    const out = new Map<string, DriftRecord>();
    if (await this.filled()) {
      // saveRecord and deleteRecord update the cache before they queue, so it includes the queue.
      for (const id of resourceIds) {
        const known = this.cache.get(id);
        if (known) out.set(id, known);
      }
      return out;
    }
    const rest: string[] = [];
    for (const id of resourceIds) {
      const pending = this.pendingRecord(id);
      if (pending === undefined) rest.push(id);
      else if (pending) out.set(id, pending);
    }
    if (rest.length === 0) return out;
    if (this.inOutage && rest.every((id) => this.cache.get(id) !== undefined))
      return this.fromCache(rest, out, undefined);
    try {
      for (const [id, record] of await this.inner.getRecords(rest)) {
        // A write made while this read was in flight is newer than what the read returned.
        const pending = this.pendingRecord(id);
        if (pending === null) continue;
        out.set(id, pending ?? record);
        if (this.cache.get(id) === undefined) this.cache.set(record);
      }
      return out;
    } catch (err) {
      return this.fromCache(rest, out, err);
    }
  }

  private fromCache(ids: string[], out: Map<string, DriftRecord>, err: unknown): Map<string, DriftRecord> {
    for (const id of ids) {
      const known = this.cache.get(id);
      if (known === undefined) throw new StoreUnavailableError('getRecords', this.queue.size, err);
      if (known) out.set(id, known);
    }
    return out;
  }

  async allRecords(): Promise<DriftRecord[]> {
    const cached = this.authoritative ? this.cache.all() : undefined;
    if (cached) return cached;
    if (this.canRead) {
      try {
        return await this.fill();
      } catch (err) {
        return this.allFromCache(err);
      }
    }
    return this.allFromCache(undefined);
  }

  /** Nothing stands between a read and the database: no failed write waiting, no outage. */
  private get canRead(): boolean {
    return this.queue.size === 0 && !this.initPending && !this.inOutage;
  }

  /**
   * True when record reads may be answered from the cache; as the only writer, a cache not yet
   * complete is filled first by one full read (joined while it runs), never id by id. A failed
   * read leaves the decision to the caller's own path (the database, or the cache in an outage).
   */
  private async filled(): Promise<boolean> {
    if (this.authoritative) return true;
    if (!this.exclusive || !this.canRead || this.closed) return false;
    await this.fill().catch(() => undefined);
    return this.authoritative;
  }

  /** One full read at a time; every caller meanwhile joins it. */
  private fill(): Promise<DriftRecord[]> {
    this.filling ??= this.fillNow().finally(() => {
      this.filling = undefined;
    });
    return this.filling;
  }

  /**
   * Every record: the database's, with what was written meanwhile in place of what it read. The
   * writes made before begin first (so they are in the database or queued); the writes made during
   * the read, and those still behind, are newer than anything it returns.
   */
  private async fillNow(): Promise<DriftRecord[]> {
    // Noted from now on: a write made while the chain settles may land after the read below.
    const written = new Map<string, DriftRecord | null>();
    this.writtenDuringFill = written;
    try {
      await this.chain;
      if (this.queue.size > 0) return await this.allFromCache(undefined);
      const started = performance.now();
      const snapshot = await this.takeSnapshot();
      const read =
        snapshot ??
        (await this.inner.allRecords().catch((err: unknown) => {
          // Said once here: the readers joined to this read each fall back quietly to their own path.
          this.options.onError?.(asError(err), 'read:allRecords');
          throw err;
        }));
      const all = written.size === 0 && this.behind.size === 0 ? read : merged(read, this.behind, written);
      this.cache.replaceAll(all);
      this.options.onLoaded?.(all.length, performance.now() - started, snapshot ? 'snapshot' : 'database');
      return all;
    } finally {
      this.writtenDuringFill = undefined;
    }
  }

  /**
   * As the only writer: the records of the snapshot a clean stop kept, when no write came after it
   * (null otherwise, or when it cannot be read: the full read follows).
   */
  private async takeSnapshot(): Promise<DriftRecord[] | null> {
    const snapshots = this.inner.snapshots;
    if (!snapshots || !this.exclusive) return null;
    try {
      return await snapshots.take();
    } catch (err) {
      this.options.onError?.(asError(err), 'read:snapshot');
      return null;
    }
  }

  /**
   * At a clean stop, after the last record write and before the Lease is released: as the only
   * writer whose copy equals the database (complete; nothing queued, in flight or behind), keeps it
   * as the next start's snapshot. The number of records kept, or why none were (null: this store
   * keeps none).
   */
  async keepSnapshot(): Promise<number | string | null> {
    const snapshots = this.inner.snapshots;
    if (!snapshots) return null;
    if (this.closed) return 'the store is closed';
    await this.chain;
    if (!this.exclusive) return 'another process may write the records';
    const all = this.cache.all();
    if (!all || !this.authoritative) return 'the records were never read in full';
    if (this.queue.size > 0 || this.inFlight > 0) return 'writes are waiting for the database';
    if (this.behind.size > 0) return 'records written behind are not yet stored';
    try {
      await snapshots.save(all);
      return all.length;
    } catch (err) {
      this.options.onError?.(asError(err), 'snapshot');
      return `the snapshot could not be written (${asError(err).message})`;
    }
  }

  /** During an outage (or after a failed read): the cached set when complete, else a clear error. */
  private async allFromCache(err: unknown): Promise<DriftRecord[]> {
    const all = this.cache.all();
    if (all) return all;
    if (err === undefined && (await this.drain())) return this.inner.allRecords();
    throw new StoreUnavailableError('allRecords', this.queue.size, err);
  }

  /**
   * From the one in-memory copy when it is exact and complete and the query names no other
   * cluster (the database may hold other clusters' records; this copy holds this agent's only):
   * no database round trip and no JSON parsing per request, also during an outage.
   */
  async listRecords(query: RecordQuery): Promise<RecordPage> {
    if (query.cluster === undefined && (await this.filled())) return this.cache.list(query);
    return this.read('listRecords', () => this.inner.listRecords(query));
  }

  history(resourceId: string, limit?: number): Promise<DriftEvent[]> {
    return this.read('history', () => this.inner.history(resourceId, limit));
  }

  /** Another cluster's record: from the database (the in-memory copy holds this cluster's only). */
  async recordOf(cluster: string, resourceId: string): Promise<DriftRecord | null> {
    const read = this.inner.recordOf?.bind(this.inner);
    if (!read) return null;
    return this.read('recordOf', () => read(cluster, resourceId));
  }

  historyOf(cluster: string, resourceId: string, limit?: number): Promise<DriftEvent[]> {
    const read = this.inner.historyOf?.bind(this.inner);
    if (!read) return Promise.resolve([]);
    return this.read('historyOf', () => read(cluster, resourceId, limit));
  }

  eventsSince(since: string): Promise<DriftEvent[]> {
    return this.read('eventsSince', () => this.inner.eventsSince(since));
  }

  async lastAnalysis(): Promise<LastAnalysis | null> {
    const pending = this.queue.pendingAnalysis();
    if (pending) return pending;
    // Its own last analysis, while it is the only writer, even before the writes ahead of it land.
    if (this.exclusive && this.latestAnalysis) return this.latestAnalysis;
    return this.read('lastAnalysis', () => this.inner.lastAnalysis());
  }

  /** Written through at once, not queued: the publisher writes the next one when this one fails. */
  async saveClusterSummary(summary: ClusterStatistics): Promise<void> {
    await this.inner.saveClusterSummary?.(summary);
  }

  clusterSummaries(): Promise<ClusterStatistics[]> {
    const read = this.inner.clusterSummaries?.bind(this.inner);
    if (!read) return Promise.resolve([]);
    return this.read('clusterSummaries', read);
  }

  /** Every cluster's tallies, from the database (other agents write there too); absent inner: none. */
  clusters(): Promise<ClusterTallies> {
    const read = this.inner.clusters?.bind(this.inner);
    if (!read) return Promise.resolve({ tallies: [], analyses: new Map() });
    return this.read('clusters', read);
  }

  /**
   * A read the queue cannot answer: write the queue out first, or fail clearly. Bad arguments
   * (RangeError, TypeError) pass through unchanged; any other failure means the database.
   */
  private async read<T>(operation: string, run: () => Promise<T>): Promise<T> {
    await this.settled(operation);
    try {
      return await run();
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) throw err;
      throw new StoreUnavailableError(operation, this.queue.size, err);
    }
  }

  private async settled(operation: string): Promise<void> {
    if (this.queue.size === 0 && !this.initPending) return;
    if (!(await this.drain())) throw new StoreUnavailableError(operation, this.queue.size, undefined);
  }

  /** Stops retrying after one last attempt to write the queue out, then closes the database. */
  // Waivers are few and made by people: written and read through at once (an unreachable store
  // is an error the API answers with 503), never queued.
  async waivers(): Promise<StoredWaiver[]> {
    if (!this.inner.waivers) throw new Error('this store keeps no waivers');
    return this.inner.waivers();
  }

  async saveWaiver(waiver: StoredWaiver): Promise<void> {
    if (!this.inner.saveWaiver) throw new Error('this store keeps no waivers');
    await this.inner.saveWaiver(waiver);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakePump();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.behind.size > 0) {
      this.options.onError?.(
        new Error(
          `${this.behind.size} record(s) written behind were not yet stored and are left: their objects are analysed again at the next start`,
        ),
        'close',
      );
      this.behind.clear();
    }
    await this.chain;
    if (this.queue.size > 0 && !(await this.drain())) {
      this.options.onError?.(
        new Error(`${this.queue.size} write(s) could not be written before close and are lost`),
        'close',
      );
    }
    await this.inner.close();
  }
}

/** The records read, with the ones still behind and those written since in place of (or beside) theirs. */
function merged(
  read: DriftRecord[],
  behind: ReadonlyMap<string, RecordWrite>,
  written: ReadonlyMap<string, DriftRecord | null>,
): DriftRecord[] {
  const byId = new Map(read.map((r) => [r.resource_id, r]));
  for (const [id, w] of behind) byId.set(id, w.record);
  for (const [id, r] of written)
    if (r) byId.set(id, r);
    else byId.delete(id);
  return [...byId.values()].sort(byResourceId);
}
