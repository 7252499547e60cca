// Seeds a MongoDB-wire database in bulk with exactly the records and events seedRecords writes.
// FerretDB v1 on SQLite slows down per write as a collection grows (each upsert scans), so 10,000
// one-by-one upserts take many minutes; the benchmark measures reads, so it loads them with
// insertMany in the store's own document layout (recordDocument, eventDocument) instead.
import { MongoClient } from 'mongodb';
import { seedRecords } from '../kit/store-seed.ts';
import { eventDocument, recordDocument } from '../../agent/store/mongo-codec.ts';
import type { RecordWrite, Store } from '../../agent/store/store.ts';
import type { DriftEvent, DriftRecord, LastAnalysis } from '../../shared/types.ts';

/** Catches what seedRecords writes; every read is refused (it is not a store). */
class Collector implements Store {
  readonly records = new Map<string, DriftRecord>();
  readonly events: DriftEvent[] = [];
  async saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void> {
    this.records.set(record.resource_id, record);
    if (event) this.events.push(event);
  }
  async saveRecords(writes: readonly RecordWrite[]): Promise<void> {
    for (const w of writes) await this.saveRecord(w.record, w.event);
  }
  private refuse(): never {
    throw new Error('the seeding collector only takes writes');
  }
  async init(): Promise<void> {}
  async close(): Promise<void> {}
  async ping(): Promise<boolean> {
    return true;
  }
  getRecord(): Promise<DriftRecord | null> {
    return this.refuse();
  }
  getRecords(): Promise<Map<string, DriftRecord>> {
    return this.refuse();
  }
  allRecords(): Promise<DriftRecord[]> {
    return this.refuse();
  }
  listRecords(): never {
    return this.refuse();
  }
  deleteRecord(): Promise<void> {
    return this.refuse();
  }
  history(): Promise<DriftEvent[]> {
    return this.refuse();
  }
  eventsSince(): Promise<DriftEvent[]> {
    return this.refuse();
  }
  saveLastAnalysis(_a: LastAnalysis): Promise<void> {
    return this.refuse();
  }
  lastAnalysis(): Promise<LastAnalysis | null> {
    return this.refuse();
  }
}

/** Inserts seedRecords' n records and events into `database` (collections as MongoStore names them). */
export async function bulkSeedMongo(uri: string, database: string, n: number): Promise<void> {
  const collector = new Collector();
  await seedRecords(collector, n);
  const client = new MongoClient(uri, { ignoreUndefined: true });
  try {
    const db = client.db(database);
    // Typed by their string `_id`, as MongoStore types its collections.
    const recordsColl = db.collection<ReturnType<typeof recordDocument>>('drift_records');
    const eventsColl = db.collection<ReturnType<typeof eventDocument>>('drift_events');
    const records = [...collector.records.values()].map(recordDocument);
    for (let i = 0; i < records.length; i += 1000) await recordsColl.insertMany(records.slice(i, i + 1000));
    for (let i = 0; i < collector.events.length; i += 1000) {
      await eventsColl.insertMany(collector.events.slice(i, i + 1000).map(eventDocument));
    }
  } finally {
    await client.close();
  }
}
