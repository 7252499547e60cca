// The storage contract of the agent. Two implementations (MongoDB through the `mongodb` driver,
// and an embedded one on node:sqlite) pass one contract suite. Only simple queries are used, so
// the same code runs on MongoDB and on FerretDB; aggregates are computed in code.
import type { RecordFilter } from '../../shared/api/query.ts';
import type {
  ClusterStatistics,
  DriftEvent,
  DriftRecord,
  DriftStatus,
  LastAnalysis,
  StoredWaiver,
} from '../../shared/types.ts';
import type { ClusterTallies } from '../records/cluster-statistics.ts';

/**
 * Validated filters: the API builds these from query strings (shared/api/query.ts; limit defaults to
 * 100 there, the store applies what it is given), never passing raw input through, plus the status
 * that /active and /resolved fix.
 */
export type RecordQuery = RecordFilter & { drift_status?: DriftStatus };

/** One record write and the transition event that goes with it, if any. */
export interface RecordWrite {
  record: DriftRecord;
  event: DriftEvent | null;
}

export interface RecordPage {
  records: DriftRecord[];
  /** Total matching the filters, ignoring limit/offset. */
  count: number;
}

/**
 * A copy of every record of the cluster kept at a clean stop, read by the next start in place of
 * the records (MongoDB: a few documents instead of one per record). See record-snapshot.ts.
 */
export interface RecordSnapshots {
  /** Written by the only writer after its last record write; a record write after it voids it. */
  save(records: readonly DriftRecord[]): Promise<void>;
  /** The records of a snapshot no write came after, or null; either way none is left to take. */
  take(): Promise<DriftRecord[] | null>;
  /** This process becomes the writer again: its next record write voids any snapshot first. */
  rearm(): void;
}

export interface Store {
  /** Connects and creates indexes; idempotent. */
  init(): Promise<void>;
  /** True when the backing database answers now. */
  ping(): Promise<boolean>;
  getRecord(resourceId: string): Promise<DriftRecord | null>;
  /** All records with these ids, in one round trip where the backend allows. */
  getRecords(resourceIds: string[]): Promise<Map<string, DriftRecord>>;
  /** Every record (used to build statistics and to find records whose object left Git). */
  allRecords(): Promise<DriftRecord[]>;
  listRecords(query: RecordQuery): Promise<RecordPage>;
  /**
   * Writes the record (upsert by resource_id) and appends its transition event, if any.
   * Idempotent: writing the same record and event twice leaves one record and one event.
   */
  saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void>;
  /**
   * saveRecord for many records in one go (a full run writes a chunk at a time). Nothing is lost
   * when the process dies midway: the embedded store writes the batch in one transaction; MongoDB
   * (no transactions on FerretDB v1) writes every event before any record, so a record already
   * written always has its event, and a rerun rewrites what is missing. Idempotent like saveRecord.
   */
  saveRecords(writes: readonly RecordWrite[]): Promise<void>;
  /**
   * Records without transition events, written behind: visible to this store's reads at once,
   * written to the database in order after the writes before them, not waited for (a first start
   * on MongoDB does not hold its first analysis for 10,000 inserts). Nothing is announced for
   * them, so nothing is lost when the process dies first: the next start analyses them again.
   * Absent: the caller awaits saveRecords.
   */
  saveRecordsBehind?(writes: readonly RecordWrite[]): void;
  /**
   * Holds the records written behind back from the database until the returned release is called
   * (a full run holds them for its length: a first start's analysis does not share the machine with
   * its own 10,000 inserts). Direct writes are not held. Absent: nothing is written behind.
   */
  holdBehind?(): () => void;
  deleteRecord(resourceId: string): Promise<void>;
  /** Transition events of one record, newest first. */
  history(resourceId: string, limit?: number): Promise<DriftEvent[]>;
  /**
   * One record of any cluster of the database (`?cluster=NAME` of the record endpoints: agents
   * may share one), read from the database. Absent in stand-ins: only this cluster's are readable.
   */
  recordOf?(cluster: string, resourceId: string): Promise<DriftRecord | null>;
  /** `history` of a record of any cluster of the database, newest first. */
  historyOf?(cluster: string, resourceId: string, limit?: number): Promise<DriftEvent[]>;
  /** All transition events at or after `since` (ISO time), oldest first. */
  eventsSince(since: string): Promise<DriftEvent[]>;
  saveLastAnalysis(analysis: LastAnalysis): Promise<void>;
  lastAnalysis(): Promise<LastAnalysis | null>;
  close(): Promise<void>;
  /**
   * Every cluster of the database (agents may share one): its records counted by status and
   * severity, and its last analysis. Listing records with `cluster: '*'` reads every cluster's.
   * Absent in stand-ins. Reads every record: only for naming the known clusters.
   */
  clusters?(): Promise<ClusterTallies>;
  /** Publishes this cluster's summary (upsert; one small document per cluster). */
  saveClusterSummary?(summary: ClusterStatistics): Promise<void>;
  /** Every cluster's published summary, any order. */
  clusterSummaries?(): Promise<ClusterStatistics[]>;
  /** This cluster's waivers, in every state, oldest first (both real stores; absent in stand-ins). */
  waivers?(): Promise<StoredWaiver[]>;
  /** Writes a waiver (upsert by id): made, revoked or voided. */
  saveWaiver?(waiver: StoredWaiver): Promise<void>;
  /**
   * A number that changes with every write, given only while this process's copy of the records
   * is exact and complete and nothing is being written (see ResilientStore); null otherwise.
   * Whatever a caller computes from reads made under one revision stays right until it changes,
   * so it may be memoised (the API's statistics). Absent: never memoise.
   */
  revision?(): number | null;
  /** The snapshot of the records for restarts; absent: every start reads the records. */
  readonly snapshots?: RecordSnapshots;
}
