// A copy of every record of one cluster, written by the only writer at a clean stop, so the next
// start (a restart, or the follower taking the Lease over) reads a few large documents instead of
// one per record. FerretDB v1 spends ~300 µs of CPU per document whatever the query asks
// (docs/CAPACITY.md, fourth round): 10,000 records cost ~3 s of its CPU, the restart's critical
// path; the same records as a few JSON texts cost a few parses.
//
// Sound only while it equals the records collection. A marker document names the snapshot's
// chunks; it is written after them, and deleted before the first record write of each term of
// writing (the guard below) and when a start takes the snapshot. So a marker that exists names a
// snapshot no write came after: the exclusive-writer rule (one leader; ResilientStore relies on it
// for its cache already) leaves no other process to write meanwhile.
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { DriftRecord } from '../../shared/types.ts';
import type { RecordSnapshots } from './store.ts';

/** A snapshot document: the marker (`marker/<cluster>`) or one chunk (`chunk/<cluster>/<token>/<i>`). */
export interface SnapshotDoc {
  _id: string;
  cluster: string;
  token: string;
  /** Marker: how many chunks and records the snapshot holds. */
  chunks?: number;
  count?: number;
  written_at?: string;
  /** Marker: the store's schema version when written (a migration since rewrote the records). */
  schema?: number;
  /** Chunk: a JSON array of records. */
  data?: string;
}

/** A chunk holds records up to this many characters of JSON (well under the 16 MB document). */
export const CHUNK_CHARS = 4 * 2 ** 20;

/** The records as JSON arrays of at most `limit` characters each (one record may exceed it alone). */
export function snapshotChunks(records: readonly DriftRecord[], limit = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const record of records) {
    const json = JSON.stringify(record);
    if (parts.length > 0 && size + json.length + 1 > limit) {
      chunks.push(`[${parts.join(',')}]`);
      parts = [];
      size = 0;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0 || chunks.length === 0) chunks.push(`[${parts.join(',')}]`);
  return chunks;
}

/**
 * The records of the chunks, or null when they are not the snapshot the marker names (a chunk
 * missing or unreadable, another count, a record of another cluster): the caller reads the
 * records collection instead.
 */
export function snapshotRecords(
  marker: SnapshotDoc,
  chunks: readonly (SnapshotDoc | null)[],
  cluster: string,
): DriftRecord[] | null {
  const records: DriftRecord[] = [];
  for (const chunk of chunks) {
    if (!chunk || chunk.token !== marker.token || typeof chunk.data !== 'string') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(chunk.data);
    } catch {
      return null;
    }
    if (!Array.isArray(parsed)) return null;
    for (const r of parsed as DriftRecord[]) {
      if (r?.cluster !== cluster || typeof r.resource_id !== 'string') return null;
      records.push(r);
    }
  }
  return records.length === marker.count ? records : null;
}

const markerId = (cluster: string) => `marker/${cluster}`;
const chunkId = (cluster: string, token: string, i: number) => `chunk/${cluster}/${token}/${i}`;

/** The snapshot of one cluster's records in a MongoDB collection (every lookup by `_id`). */
export class MongoSnapshots implements RecordSnapshots {
  /** This term's marker deletion, once done (see guard). */
  private guarded: Promise<void> | undefined;

  constructor(
    private readonly docs: () => Collection<SnapshotDoc>,
    private readonly cluster: string,
    /** The store's schema version: a snapshot written under another is not taken. */
    private readonly schema: number,
  ) {}

  /**
   * Awaited before every record write: deletes the marker once per term of writing (a failed
   * delete is tried again by the next write), so no snapshot outlives a write.
   */
  guard(): Promise<void> {
    this.guarded ??= this.docs()
      .deleteOne({ _id: markerId(this.cluster) })
      .then(
        () => undefined,
        (err: unknown) => {
          this.guarded = undefined;
          throw err;
        },
      );
    return this.guarded;
  }

  /** A new term of writing (this process leads again): the next record write deletes the marker first. */
  rearm(): void {
    this.guarded = undefined;
  }

  /**
   * Writes the records as the snapshot: chunks first, the marker last. Called after the last
   * record write of a clean stop; a write after it deletes the marker again (rearmed).
   */
  async save(records: readonly DriftRecord[]): Promise<void> {
    this.rearm();
    await this.docs().deleteMany({ cluster: this.cluster });
    const token = randomUUID();
    const chunks = snapshotChunks(records);
    await this.docs().insertMany(
      chunks.map((data, i) => ({ _id: chunkId(this.cluster, token, i), cluster: this.cluster, token, data })),
    );
    await this.docs().insertOne({
      _id: markerId(this.cluster),
      cluster: this.cluster,
      token,
      chunks: chunks.length,
      count: records.length,
      written_at: new Date().toISOString(),
      schema: this.schema,
    });
  }

  /**
   * Takes the snapshot: its records when the marker names a complete one, else null; a marker is
   * deleted before this answers (before any write of this term), the chunks after. With none, the
   * term's first write still runs the guard.
   */
  async take(): Promise<DriftRecord[] | null> {
    this.rearm();
    const docs = this.docs();
    const marker = await docs.findOne({ _id: markerId(this.cluster) });
    if (!marker) return null;
    const ids = Array.from({ length: marker.chunks ?? 0 }, (_, i) => chunkId(this.cluster, marker.token, i));
    const chunks = await Promise.all(ids.map((_id) => docs.findOne({ _id })));
    const records = snapshotRecords(marker, chunks, this.cluster);
    const taken = await docs.deleteOne({ _id: marker._id, token: marker.token });
    this.guarded = Promise.resolve();
    void docs.deleteMany({ cluster: this.cluster }).catch(() => undefined);
    // Another start took it first: it is that start's, and may be written over already.
    return taken.deletedCount === 1 && marker.schema === this.schema ? records : null;
  }
}
