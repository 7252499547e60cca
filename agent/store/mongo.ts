// The MongoDB store through the official driver. It keeps to what FerretDB v1 also serves:
// plain find/sort/skip/limit/countDocuments, replaceOne/updateOne upserts, unique indexes; no
// transactions, no aggregation. Record and event writes are idempotent upserts, so a write retried
// after a timeout (or replayed by ResilientStore) leaves exactly one copy.
import { MongoClient, type Collection, type Document, type Filter } from 'mongodb';
import type { DriftEvent, DriftRecord, LastAnalysis } from '../../shared/types.ts';
import { checkCount, conditions, paging } from './filters.ts';
import { decodeRecord, encodeRecord, type StoredRecord } from './mongo-codec.ts';
import type { RecordPage, RecordQuery, Store } from './store.ts';

export interface MongoStoreConfig {
  /** e.g. `mongodb://user:pass@host:27017/?authSource=admin`. */
  uri: string;
  /** Database name. */
  name: string;
  /** How long an operation waits for a reachable server before failing (serverSelectionTimeoutMS). */
  connectTimeoutMs: number;
}

/** `getRecords` asks for ids in batches of this size, keeping each query document small. */
const ID_BATCH = 1000;
const LAST_ANALYSIS_ID = 'last';

interface StoredAnalysis extends LastAnalysis {
  _id: string;
}

function withoutId<T>(doc: Document): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}

export class MongoStore implements Store {
  private readonly client: MongoClient;
  private readonly records: Collection<StoredRecord>;
  private readonly events: Collection<DriftEvent>;
  private readonly analyses: Collection<StoredAnalysis>;

  constructor(config: MongoStoreConfig) {
    if (!config.uri) throw new Error('MongoDB store: database uri is empty');
    if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(config.name)) throw new Error(`MongoDB store: invalid database name ${JSON.stringify(config.name)}`);
    this.client = new MongoClient(config.uri, {
      serverSelectionTimeoutMS: config.connectTimeoutMs,
      connectTimeoutMS: config.connectTimeoutMs,
      // FerretDB has no retryable writes; our writes are idempotent upserts anyway.
      retryWrites: false,
      // Absent JSON fields stay absent (the driver would store undefined as null).
      ignoreUndefined: true,
      appName: 'driftguard-agent',
    });
    const db = this.client.db(config.name);
    this.records = db.collection<StoredRecord>('drift_records');
    this.events = db.collection<DriftEvent>('drift_events');
    this.analyses = db.collection<StoredAnalysis>('analyses');
  }

  async init(): Promise<void> {
    await this.client.connect();
    await this.records.createIndex({ resource_id: 1 }, { unique: true, name: 'resource_id_unique' });
    await this.records.createIndex({ drift_status: 1 }, { name: 'drift_status' });
    await this.records.createIndex({ namespace: 1 }, { name: 'namespace' });
    await this.events.createIndex({ event_id: 1 }, { unique: true, name: 'event_id_unique' });
    await this.events.createIndex({ resource_id: 1, time: 1 }, { name: 'resource_time' });
    await this.events.createIndex({ time: 1 }, { name: 'time' });
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async getRecord(resourceId: string): Promise<DriftRecord | null> {
    const doc = await this.records.findOne({ resource_id: String(resourceId) });
    return doc ? decodeRecord(withoutId(doc)) : null;
  }

  async getRecords(resourceIds: string[]): Promise<Map<string, DriftRecord>> {
    const out = new Map<string, DriftRecord>();
    for (let i = 0; i < resourceIds.length; i += ID_BATCH) {
      const ids = resourceIds.slice(i, i + ID_BATCH).map(String);
      for (const doc of await this.records.find({ resource_id: { $in: ids } }).toArray()) {
        const record = decodeRecord(withoutId(doc));
        out.set(record.resource_id, record);
      }
    }
    return out;
  }

  async allRecords(): Promise<DriftRecord[]> {
    const docs = await this.records.find({}).sort({ resource_id: 1 }).toArray();
    return docs.map((d) => decodeRecord(withoutId(d)));
  }

  async listRecords(query: RecordQuery): Promise<RecordPage> {
    const { limit, offset } = paging(query);
    // Built field by field from typed, cast values: never a caller's object.
    const filter: Filter<StoredRecord> = {};
    for (const c of conditions(query)) (filter as Record<string, string | boolean>)[c.field] = c.value;
    const count = await this.records.countDocuments(filter);
    if (limit === 0) return { records: [], count };
    let cursor = this.records.find(filter).sort({ resource_id: 1 }).skip(offset);
    if (limit !== undefined) cursor = cursor.limit(limit);
    const docs = await cursor.toArray();
    return { records: docs.map((d) => decodeRecord(withoutId(d))), count };
  }

  async saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void> {
    // Record first, then event: a crash in between leaves the record current and the retry
    // (same event id) adds the event once.
    await this.records.replaceOne({ resource_id: String(record.resource_id) }, encodeRecord(record), { upsert: true });
    if (event) await this.events.updateOne({ event_id: String(event.event_id) }, { $setOnInsert: event }, { upsert: true });
  }

  async deleteRecord(resourceId: string): Promise<void> {
    await this.records.deleteOne({ resource_id: String(resourceId) });
  }

  async history(resourceId: string, limit?: number): Promise<DriftEvent[]> {
    checkCount('history: limit', limit);
    let cursor = this.events.find({ resource_id: String(resourceId) }).sort({ time: -1, event_id: -1 });
    if (limit !== undefined) {
      if (limit === 0) return [];
      cursor = cursor.limit(limit);
    }
    return (await cursor.toArray()).map((d) => withoutId<DriftEvent>(d));
  }

  async eventsSince(since: string): Promise<DriftEvent[]> {
    const docs = await this.events.find({ time: { $gte: String(since) } }).sort({ time: 1, event_id: 1 }).toArray();
    return docs.map((d) => withoutId<DriftEvent>(d));
  }

  async saveLastAnalysis(analysis: LastAnalysis): Promise<void> {
    await this.analyses.replaceOne({ _id: LAST_ANALYSIS_ID }, { ...analysis }, { upsert: true });
  }

  async lastAnalysis(): Promise<LastAnalysis | null> {
    const doc = await this.analyses.findOne({ _id: LAST_ANALYSIS_ID });
    return doc ? withoutId<LastAnalysis>(doc) : null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
