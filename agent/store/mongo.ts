// The MongoDB store through the official driver. It keeps to what FerretDB v1 also serves:
// plain find/sort/skip/limit/countDocuments, replace/insert, unique indexes; no transactions, no
// aggregation. Record and event writes are idempotent, so a write retried after a timeout (or
// replayed by ResilientStore) leaves exactly one copy.
//
// Documents are keyed by `_id` = resource_id (records) and `_id` = event_id (events). FerretDB v1
// on SQLite scans the whole collection for most filters: measured here, an upsert filtered on
// `resource_id` cost 5 ms at 500 records and 34 ms at 2,000 (linear), a findOne or an insert by
// `_id` ~1 ms at any size. So lookups and inserts go by `_id`; list pages, counts and replaces
// still scan on FerretDB (~1 s per page at 10,000 records), while real MongoDB uses the indexes.
// A read of a few ids by `_id: {$in}` scans too (1.5 s for 5 ids at 10,000 records, measured), so
// a few ids are read one `_id` each (64 in parallel: 0.2 s).
// The unique indexes on resource_id and event_id stay as a second guarantee.
//
// The driver is loaded by init(), not with this module: an agent on the embedded store never
// evaluates it (~90 ms of every start, bundled or not).
import type { Collection, Document, Filter, MongoClient } from 'mongodb';
import type {
  ClusterStatistics,
  DriftEvent,
  DriftRecord,
  LastAnalysis,
  StoredWaiver,
} from '../../shared/types.ts';
import type { ClusterTallies, ClusterTally } from '../records/cluster-statistics.ts';
import {
  allClusters,
  byResourceId,
  checkCount,
  conditions,
  foreignSummary,
  foreignWaiver,
  foreignWrites,
  paging,
  SUMMARY_KEY,
} from './filters.ts';
import { DEFAULT_CLUSTER } from '../records/lifecycle.ts';
import { MongoSnapshots, type SnapshotDoc } from './record-snapshot.ts';
import { decodeRecord, eventDocument, recordDocument, recordKey, type StoredRecord } from './mongo-codec.ts';
import type { RecordPage, RecordQuery, RecordWrite, Store } from './store.ts';

export interface MongoStoreConfig {
  /** e.g. `mongodb://user:pass@host:27017/?authSource=admin`. */
  uri: string;
  /** Database name. */
  name: string;
  /** How long an operation waits for a reachable server before failing (serverSelectionTimeoutMS). */
  connectTimeoutMs: number;
  /** The cluster this store writes and reads (default: "default"). */
  cluster?: string;
}

/** `getRecords` asks for ids in batches of this size, keeping each query document small. */
const ID_BATCH = 1000;
/** Up to this many ids are read one `_id` lookup each (in parallel) instead of one `$in` scan. */
const POINT_READS = 32;
const LAST_ANALYSIS_ID = 'last';
/**
 * The schema this code writes. Version 1: records and events carry `cluster`, records are unique
 * per (cluster, resource_id). A database at a lower version (or none) is migrated once in init.
 */
const SCHEMA_VERSION = 1;
const SCHEMA_ID = 'schema';

interface StoredAnalysis extends LastAnalysis {
  _id: string;
}

interface RecordDoc extends StoredRecord {
  _id: string;
}

interface EventDoc extends DriftEvent {
  _id: string;
}

/** Batches go to the server in slices of this many documents (well under the 16 MB message). */
const WRITE_BATCH = 256;

/**
 * insertMany, unordered: every document that can go in goes in. Returns the indexes of the
 * documents refused as duplicates (their `_id` exists); any other failure is thrown.
 */
async function insertNew(driver: Driver, insertMany: () => Promise<unknown>): Promise<number[]> {
  try {
    await insertMany();
    return [];
  } catch (err) {
    if (!(err instanceof driver.MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw err;
    return errors.map((e) => e.index);
  }
}

function withoutId<T>(doc: Document): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}

type Driver = typeof import('mongodb');

/** The client and collections, made once the driver is loaded (the first init). */
interface Handles {
  driver: Driver;
  client: MongoClient;
  records: Collection<RecordDoc>;
  events: Collection<EventDoc>;
  analyses: Collection<StoredAnalysis>;
  summaries: Collection<ClusterStatistics & { _id: string }>;
  waiverDocs: Collection<StoredWaiver & { _id: string }>;
  meta: Collection<{ _id: string; version: number }>;
  snapshotDocs: Collection<SnapshotDoc>;
}

function openHandles(driver: Driver, config: MongoStoreConfig): Handles {
  const client = new driver.MongoClient(config.uri, {
    serverSelectionTimeoutMS: config.connectTimeoutMs,
    connectTimeoutMS: config.connectTimeoutMs,
    // FerretDB has no retryable writes; our writes are idempotent upserts anyway.
    retryWrites: false,
    // Absent JSON fields stay absent (the driver would store undefined as null).
    ignoreUndefined: true,
    appName: 'driftguard-agent',
  });
  const db = client.db(config.name);
  return {
    driver,
    client,
    records: db.collection<RecordDoc>('drift_records'),
    events: db.collection<EventDoc>('drift_events'),
    analyses: db.collection<StoredAnalysis>('analyses'),
    summaries: db.collection<ClusterStatistics & { _id: string }>('analyses'),
    waiverDocs: db.collection<StoredWaiver & { _id: string }>('waivers'),
    meta: db.collection<{ _id: string; version: number }>('driftguard_meta'),
    snapshotDocs: db.collection<SnapshotDoc>('record_snapshots'),
  };
}

export class MongoStore implements Store {
  private handles: Handles | undefined;
  private readonly cluster: string;
  readonly snapshots: MongoSnapshots;

  constructor(private readonly config: MongoStoreConfig) {
    this.cluster = config.cluster ?? DEFAULT_CLUSTER;
    this.snapshots = new MongoSnapshots(() => this.open().snapshotDocs, this.cluster, SCHEMA_VERSION);
    if (!config.uri) throw new Error('MongoDB store: database uri is empty');
    if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(config.name))
      throw new Error(`MongoDB store: invalid database name ${JSON.stringify(config.name)}`);
  }

  /** The handles; used before init() it is a programming error, said so. */
  private open(): Handles {
    if (!this.handles) throw new Error('MongoDB store: used before init()');
    return this.handles;
  }

  private get client(): MongoClient {
    return this.open().client;
  }
  private get records(): Collection<RecordDoc> {
    return this.open().records;
  }
  private get events(): Collection<EventDoc> {
    return this.open().events;
  }
  private get analyses(): Collection<StoredAnalysis> {
    return this.open().analyses;
  }
  private get summaries(): Collection<ClusterStatistics & { _id: string }> {
    return this.open().summaries;
  }
  private get waiverDocs(): Collection<StoredWaiver & { _id: string }> {
    return this.open().waiverDocs;
  }
  private get meta(): Collection<{ _id: string; version: number }> {
    return this.open().meta;
  }

  async waivers(): Promise<StoredWaiver[]> {
    const docs = await this.waiverDocs
      .find({ cluster: this.cluster })
      .sort({ created_at: 1, id: 1 })
      .toArray();
    return docs.map((d) => withoutId<StoredWaiver>(d));
  }

  async saveWaiver(waiver: StoredWaiver): Promise<void> {
    foreignWaiver(waiver, this.cluster);
    await this.waiverDocs.replaceOne(
      { _id: `${this.cluster}|${waiver.id}` },
      { ...waiver },
      { upsert: true },
    );
  }

  async init(): Promise<void> {
    const driver = await import('mongodb');
    // Checked after the await: two inits at once make one client.
    this.handles ??= openHandles(driver, this.config);
    await this.client.connect();
    const schema = await this.meta.findOne({ _id: SCHEMA_ID });
    if ((schema?.version ?? 0) < SCHEMA_VERSION) await this.migrate();
    await this.records.createIndex(
      { cluster: 1, resource_id: 1 },
      { unique: true, name: 'cluster_resource_id_unique' },
    );
    await this.records.createIndex({ drift_status: 1 }, { name: 'drift_status' });
    await this.records.createIndex({ namespace: 1 }, { name: 'namespace' });
    await this.records.createIndex({ source: 1 }, { name: 'source' });
    await this.events.createIndex({ event_id: 1 }, { unique: true, name: 'event_id_unique' });
    await this.events.createIndex({ resource_id: 1, time: 1 }, { name: 'resource_time' });
    await this.events.createIndex({ time: 1 }, { name: 'time' });
  }

  /**
   * Once per database, not at every start: each update below reads every record and event (on
   * FerretDB 1.4 s at 10,000 records). The marker is written after the work, so a migration
   * interrupted midway runs again (each step is idempotent).
   */
  private async migrate(): Promise<void> {
    // Records and events written before clusters had names belong to the default cluster.
    await this.records.updateMany({ cluster: { $exists: false } }, { $set: { cluster: DEFAULT_CLUSTER } });
    await this.events.updateMany({ cluster: { $exists: false } }, { $set: { cluster: DEFAULT_CLUSTER } });
    // A resource id is unique per cluster, not per database: the old index would refuse the
    // second cluster's record of the same object.
    await this.records.dropIndex('resource_id_unique').catch(() => undefined);
    await this.meta.replaceOne({ _id: SCHEMA_ID }, { version: SCHEMA_VERSION }, { upsert: true });
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  getRecord(resourceId: string): Promise<DriftRecord | null> {
    return this.recordOf(this.cluster, resourceId);
  }

  async recordOf(cluster: string, resourceId: string): Promise<DriftRecord | null> {
    const doc = await this.records.findOne({ _id: recordKey(String(cluster), resourceId) });
    return doc ? decodeRecord(doc) : null;
  }

  async getRecords(resourceIds: string[]): Promise<Map<string, DriftRecord>> {
    const out = new Map<string, DriftRecord>();
    if (resourceIds.length <= POINT_READS) {
      const found = await Promise.all(resourceIds.map((id) => this.getRecord(id)));
      for (const record of found) if (record) out.set(record.resource_id, record);
      return out;
    }
    for (let i = 0; i < resourceIds.length; i += ID_BATCH) {
      const ids = resourceIds.slice(i, i + ID_BATCH).map((id) => recordKey(this.cluster, id));
      for (const doc of await this.records.find({ _id: { $in: ids } }).toArray()) {
        const record = decodeRecord(doc);
        out.set(record.resource_id, record);
      }
    }
    return out;
  }

  /**
   * Read unsorted, sorted here: FerretDB v1 sorts in memory after reading every document, and the
   * sorted read of 10,000 records took about twice the wall time of the unsorted one at the same
   * CPU (a restart's first analysis waits for this read). Each document is decoded as it arrives.
   */
  async allRecords(): Promise<DriftRecord[]> {
    const records: DriftRecord[] = [];
    for await (const doc of this.records.find({ cluster: this.cluster })) records.push(decodeRecord(doc));
    return records.sort(byResourceId);
  }

  async listRecords(query: RecordQuery): Promise<RecordPage> {
    const { limit, offset } = paging(query);
    // Built field by field from typed, cast values: never a caller's object.
    const filter: Filter<RecordDoc> = {};
    for (const c of conditions({ ...query, cluster: query.cluster ?? this.cluster }))
      (filter as Record<string, string | boolean>)[c.field] = c.value;
    const count = await this.records.countDocuments(filter);
    if (limit === 0) return { records: [], count };
    const order = allClusters(query) ? { resource_id: 1, cluster: 1 } : { resource_id: 1 };
    let cursor = this.records
      .find(filter)
      .sort(order as Record<string, 1>)
      .skip(offset);
    if (limit !== undefined) cursor = cursor.limit(limit);
    const docs = await cursor.toArray();
    return { records: docs.map((d) => decodeRecord(d)), count };
  }

  async saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void> {
    return this.saveRecords([{ record, event }]);
  }

  /**
   * Events first, then records (see Store.saveRecords), each as one unordered insert per slice;
   * records that exist already are replaced one by one (on FerretDB a replace scans, an insert
   * does not, so a first run, where every record is new, never scans).
   */
  async saveRecords(writes: readonly RecordWrite[]): Promise<void> {
    foreignWrites(this.cluster, writes);
    await this.snapshots.guard();
    for (let i = 0; i < writes.length; i += WRITE_BATCH) {
      const slice = writes.slice(i, i + WRITE_BATCH);
      const events = slice.flatMap((w) => (w.event ? [eventDocument(w.event)] : []));
      if (events.length > 0)
        await insertNew(this.open().driver, () => this.events.insertMany(events, { ordered: false }));
      const docs = slice.map((w) => recordDocument(w.record));
      for (const index of await insertNew(this.open().driver, () =>
        this.records.insertMany(docs, { ordered: false }),
      )) {
        const doc = docs[index];
        if (doc) await this.records.replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
    }
  }

  async deleteRecord(resourceId: string): Promise<void> {
    await this.snapshots.guard();
    await this.records.deleteOne({ _id: recordKey(this.cluster, resourceId) });
  }

  history(resourceId: string, limit?: number): Promise<DriftEvent[]> {
    return this.historyOf(this.cluster, resourceId, limit);
  }

  async historyOf(cluster: string, resourceId: string, limit?: number): Promise<DriftEvent[]> {
    checkCount('history: limit', limit);
    let cursor = this.events
      .find({ cluster: String(cluster), resource_id: String(resourceId) })
      .sort({ time: -1, event_id: -1 });
    if (limit !== undefined) {
      if (limit === 0) return [];
      cursor = cursor.limit(limit);
    }
    return (await cursor.toArray()).map((d) => withoutId<DriftEvent>(d));
  }

  async eventsSince(since: string): Promise<DriftEvent[]> {
    const docs = await this.events
      .find({ cluster: this.cluster, time: { $gte: String(since) } })
      .sort({ time: 1, event_id: 1 })
      .toArray();
    return docs.map((d) => withoutId<DriftEvent>(d));
  }

  /**
   * Every cluster's records counted in code (FerretDB v1 has no $group), reading only the three
   * fields counted; and every cluster's last analysis (`last` is the default cluster's).
   */
  async clusters(): Promise<ClusterTallies> {
    const counts = new Map<string, ClusterTally>();
    const fields = { _id: 0, cluster: 1, drift_status: 1, severity: 1 };
    for await (const d of this.records.find({}, { projection: fields })) {
      const severity = (d.severity ?? null) as ClusterTally['severity'];
      const key = `${d.cluster}|${d.drift_status}|${severity ?? ''}`;
      const t = counts.get(key);
      if (t) t.count++;
      else counts.set(key, { cluster: d.cluster, drift_status: d.drift_status, severity, count: 1 });
    }
    const analyses = new Map<string, LastAnalysis>();
    for (const doc of await this.analyses.find({}).toArray()) {
      const id = String(doc._id);
      if (id === LAST_ANALYSIS_ID) analyses.set(DEFAULT_CLUSTER, withoutId<LastAnalysis>(doc));
      else if (id.startsWith(`${LAST_ANALYSIS_ID}/`))
        analyses.set(id.slice(LAST_ANALYSIS_ID.length + 1), withoutId<LastAnalysis>(doc));
    }
    return { tallies: [...counts.values()], analyses };
  }

  /** Beside the last analyses, `_id` `summary/<cluster>`. */
  async saveClusterSummary(summary: ClusterStatistics): Promise<void> {
    foreignSummary(summary, this.cluster);
    await this.summaries.replaceOne(
      { _id: `${SUMMARY_KEY}${this.cluster}` },
      { ...summary },
      { upsert: true },
    );
  }

  async clusterSummaries(): Promise<ClusterStatistics[]> {
    // A handful of small documents: filtered in code (no $regex needed on FerretDB).
    const docs = await this.summaries.find({}).toArray();
    return docs
      .filter((d) => String(d._id).startsWith(SUMMARY_KEY))
      .map((d) => withoutId<ClusterStatistics>(d));
  }

  async saveLastAnalysis(analysis: LastAnalysis): Promise<void> {
    await this.analyses.replaceOne({ _id: this.lastAnalysisId() }, { ...analysis }, { upsert: true });
  }

  async lastAnalysis(): Promise<LastAnalysis | null> {
    const doc = await this.analyses.findOne({ _id: this.lastAnalysisId() });
    return doc ? withoutId<LastAnalysis>(doc) : null;
  }

  private lastAnalysisId(): string {
    return this.cluster === DEFAULT_CLUSTER ? LAST_ANALYSIS_ID : `${LAST_ANALYSIS_ID}/${this.cluster}`;
  }

  async close(): Promise<void> {
    await this.handles?.client.close();
  }
}
