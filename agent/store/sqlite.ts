// The embedded store on Node's built-in node:sqlite (no native addon to build). Records and events
// are stored as JSON text beside indexed columns used for filtering and paging; every statement
// is prepared once. WAL mode lets API reads proceed while the agent writes.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type {
  ClusterStatistics,
  DriftEvent,
  DriftRecord,
  LastAnalysis,
  StoredWaiver,
} from '../../shared/types.ts';
import { DEFAULT_CLUSTER } from '../records/lifecycle.ts';
import type { ClusterTallies, ClusterTally } from '../records/cluster-statistics.ts';
import {
  allClusters,
  checkCount,
  conditions,
  foreignWrites,
  foreignSummary,
  foreignWaiver,
  paging,
  SUMMARY_KEY,
  type FilterField,
} from './filters.ts';
import type { RecordPage, RecordQuery, RecordWrite, Store } from './store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS drift_records (
  cluster TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  drift_status TEXT NOT NULL,
  namespace TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT,
  drift_type TEXT,
  drift_detected INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (cluster, resource_id)
);
-- Each filter index starts with the cluster (every query names one) and ends with resource_id so
-- a filtered page comes out in order without a sort.
CREATE INDEX IF NOT EXISTS drift_records_c_status ON drift_records (cluster, drift_status, resource_id);
CREATE INDEX IF NOT EXISTS drift_records_c_namespace ON drift_records (cluster, namespace, resource_id);
CREATE INDEX IF NOT EXISTS drift_records_c_kind ON drift_records (cluster, kind, resource_id);
CREATE INDEX IF NOT EXISTS drift_records_c_severity ON drift_records (cluster, severity, resource_id);
CREATE INDEX IF NOT EXISTS drift_records_c_type ON drift_records (cluster, drift_type, resource_id);
CREATE INDEX IF NOT EXISTS drift_records_c_detected ON drift_records (cluster, drift_detected, resource_id);
CREATE TABLE IF NOT EXISTS drift_events (
  event_id TEXT PRIMARY KEY,
  cluster TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  time TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drift_events_c_resource_time ON drift_events (cluster, resource_id, time);
CREATE INDEX IF NOT EXISTS drift_events_c_time ON drift_events (cluster, time);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS waivers (
  cluster TEXT NOT NULL,
  id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (cluster, id)
);
`;

/**
 * A database file from before clusters had names: its tables are rebuilt with a cluster column,
 * every row in the default cluster (the one its agent had).
 */
const MIGRATE_V1 = `
ALTER TABLE drift_records RENAME TO drift_records_v1;
ALTER TABLE drift_events RENAME TO drift_events_v1;
DROP INDEX IF EXISTS drift_records_status;
DROP INDEX IF EXISTS drift_records_namespace;
DROP INDEX IF EXISTS drift_records_kind;
DROP INDEX IF EXISTS drift_records_severity;
DROP INDEX IF EXISTS drift_records_type;
DROP INDEX IF EXISTS drift_records_detected;
DROP INDEX IF EXISTS drift_events_resource_time;
DROP INDEX IF EXISTS drift_events_time;
${SCHEMA}
INSERT INTO drift_records
  SELECT '${DEFAULT_CLUSTER}', resource_id, drift_status, namespace, kind, severity, drift_type, drift_detected,
         json_set(doc, '$.cluster', '${DEFAULT_CLUSTER}')
  FROM drift_records_v1;
INSERT INTO drift_events
  SELECT event_id, '${DEFAULT_CLUSTER}', resource_id, time, json_set(doc, '$.cluster', '${DEFAULT_CLUSTER}')
  FROM drift_events_v1;
DROP TABLE drift_records_v1;
DROP TABLE drift_events_v1;
`;

/** Column names come only from this map, never from input. */
const COLUMNS: Record<FilterField, string> = {
  cluster: 'cluster',
  namespace: 'namespace',
  kind: 'kind',
  drift_detected: 'drift_detected',
  drift_status: 'drift_status',
  severity: 'severity',
  drift_type: 'drift_type',
  source: 'source',
};

export interface SqliteStoreConfig {
  /** Database file; its directory is created if needed. `:memory:` works for throwaway use. */
  path: string;
  /** The cluster this store writes and reads (default: "default"). */
  cluster?: string;
}

type Row = Record<string, unknown>;

function docs<T>(rows: Row[]): T[] {
  return rows.map((r) => JSON.parse(String(r['doc'])) as T);
}

export class SqliteStore implements Store {
  private db: DatabaseSync | undefined;
  private readonly statements = new Map<string, StatementSync>();
  private readonly cluster: string;

  constructor(private readonly config: SqliteStoreConfig) {
    this.cluster = config.cluster ?? DEFAULT_CLUSTER;
  }

  async init(): Promise<void> {
    if (this.db) return;
    let db: DatabaseSync | undefined;
    try {
      if (this.config.path !== ':memory:') mkdirSync(dirname(this.config.path), { recursive: true });
      db = new DatabaseSync(this.config.path);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
      const columns = db.prepare('PRAGMA table_info(drift_records)').all();
      if (columns.length > 0 && !columns.some((c) => c['name'] === 'cluster'))
        db.exec(`BEGIN IMMEDIATE; ${MIGRATE_V1} COMMIT;`);
      db.exec(SCHEMA);
      // Stores made before sources existed: add the column and fill it from the documents.
      const now = db.prepare('PRAGMA table_info(drift_records)').all() as Row[];
      if (!now.some((c) => c['name'] === 'source')) {
        db.exec('ALTER TABLE drift_records ADD COLUMN source TEXT');
        db.exec("UPDATE drift_records SET source = json_extract(doc, '$.source')");
      }
      db.exec(
        'CREATE INDEX IF NOT EXISTS drift_records_c_source ON drift_records (cluster, source, resource_id)',
      );
    } catch (err) {
      db?.close();
      throw new Error(`embedded store at ${this.config.path}: ${(err as Error).message}`, { cause: err });
    }
    this.db = db;
  }

  async ping(): Promise<boolean> {
    try {
      this.stmt('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  getRecord(resourceId: string): Promise<DriftRecord | null> {
    return this.recordOf(this.cluster, resourceId);
  }

  async recordOf(cluster: string, resourceId: string): Promise<DriftRecord | null> {
    const row = this.stmt('SELECT doc FROM drift_records WHERE cluster = ? AND resource_id = ?').get(
      String(cluster),
      String(resourceId),
    );
    return row ? (JSON.parse(String(row['doc'])) as DriftRecord) : null;
  }

  async getRecords(resourceIds: string[]): Promise<Map<string, DriftRecord>> {
    const out = new Map<string, DriftRecord>();
    if (resourceIds.length === 0) return out;
    // One statement for any number of ids: the list travels as one JSON parameter.
    const rows = this.stmt(
      'SELECT doc FROM drift_records WHERE cluster = ? AND resource_id IN (SELECT value FROM json_each(?))',
    ).all(this.cluster, JSON.stringify(resourceIds.map(String)));
    for (const r of docs<DriftRecord>(rows)) out.set(r.resource_id, r);
    return out;
  }

  async allRecords(): Promise<DriftRecord[]> {
    return docs<DriftRecord>(
      this.stmt('SELECT doc FROM drift_records WHERE cluster = ? ORDER BY resource_id').all(this.cluster),
    );
  }

  async listRecords(query: RecordQuery): Promise<RecordPage> {
    const { limit, offset } = paging(query);
    const conds = conditions({ ...query, cluster: query.cluster ?? this.cluster });
    const where = conds.length ? `WHERE ${conds.map((c) => `${COLUMNS[c.field]} = ?`).join(' AND ')}` : '';
    const params = conds.map((c) => (typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value));
    const count = Number(
      this.stmt(`SELECT count(*) AS n FROM drift_records ${where}`).get(...params)?.['n'] ?? 0,
    );
    // LIMIT -1 is SQLite's "no limit".
    const order = allClusters(query) ? 'resource_id, cluster' : 'resource_id';
    const rows = this.stmt(`SELECT doc FROM drift_records ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
      ...params,
      limit ?? -1,
      offset,
    );
    return { records: docs<DriftRecord>(rows), count };
  }

  async saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void> {
    return this.saveRecords([{ record, event }]);
  }

  /** One transaction for the whole batch: a 10,000-record first run costs 40 commits, not 10,000. */
  async saveRecords(writes: readonly RecordWrite[]): Promise<void> {
    foreignWrites(this.cluster, writes);
    if (writes.length === 0) return;
    const db = this.open();
    const saveRecord = this.stmt(
      `INSERT OR REPLACE INTO drift_records (cluster, resource_id, drift_status, namespace, kind, severity, drift_type, drift_detected, source, doc)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const saveEvent = this.stmt(
      'INSERT OR IGNORE INTO drift_events (event_id, cluster, resource_id, time, doc) VALUES (?, ?, ?, ?, ?)',
    );
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const { record, event } of writes) {
        saveRecord.run(
          record.cluster,
          record.resource_id,
          record.drift_status,
          record.namespace,
          record.kind,
          record.severity,
          record.drift_type,
          record.drift_detected ? 1 : 0,
          record.source ?? null,
          JSON.stringify(record),
        );
        if (event)
          saveEvent.run(event.event_id, event.cluster, event.resource_id, event.time, JSON.stringify(event));
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  async deleteRecord(resourceId: string): Promise<void> {
    this.stmt('DELETE FROM drift_records WHERE cluster = ? AND resource_id = ?').run(
      this.cluster,
      String(resourceId),
    );
  }

  history(resourceId: string, limit?: number): Promise<DriftEvent[]> {
    return this.historyOf(this.cluster, resourceId, limit);
  }

  async historyOf(cluster: string, resourceId: string, limit?: number): Promise<DriftEvent[]> {
    checkCount('history: limit', limit);
    const rows = this.stmt(
      'SELECT doc FROM drift_events WHERE cluster = ? AND resource_id = ? ORDER BY time DESC, event_id DESC LIMIT ?',
    ).all(String(cluster), String(resourceId), limit ?? -1);
    return docs<DriftEvent>(rows);
  }

  async eventsSince(since: string): Promise<DriftEvent[]> {
    return docs<DriftEvent>(
      this.stmt('SELECT doc FROM drift_events WHERE cluster = ? AND time >= ? ORDER BY time, event_id').all(
        this.cluster,
        String(since),
      ),
    );
  }

  async saveLastAnalysis(analysis: LastAnalysis): Promise<void> {
    this.stmt('INSERT OR REPLACE INTO meta (key, doc) VALUES (?, ?)').run(
      this.lastAnalysisKey(),
      JSON.stringify(analysis),
    );
  }

  async lastAnalysis(): Promise<LastAnalysis | null> {
    const row = this.stmt('SELECT doc FROM meta WHERE key = ?').get(this.lastAnalysisKey());
    return row ? (JSON.parse(String(row['doc'])) as LastAnalysis) : null;
  }

  async clusters(): Promise<ClusterTallies> {
    const tallies = this.stmt(
      'SELECT cluster, drift_status, severity, count(*) AS n FROM drift_records GROUP BY cluster, drift_status, severity',
    )
      .all()
      .map((r): ClusterTally => ({
        cluster: String(r['cluster']),
        drift_status: String(r['drift_status']) as ClusterTally['drift_status'],
        severity: r['severity'] === null ? null : (String(r['severity']) as ClusterTally['severity']),
        count: Number(r['n']),
      }));
    const analyses = new Map<string, LastAnalysis>();
    const rows = this.stmt(
      "SELECT key, doc FROM meta WHERE key = 'last_analysis' OR key LIKE 'last_analysis/%'",
    ).all();
    for (const r of rows) {
      const key = String(r['key']);
      const cluster = key === 'last_analysis' ? DEFAULT_CLUSTER : key.slice('last_analysis/'.length);
      analyses.set(cluster, JSON.parse(String(r['doc'])) as LastAnalysis);
    }
    return { tallies, analyses };
  }

  async saveClusterSummary(summary: ClusterStatistics): Promise<void> {
    foreignSummary(summary, this.cluster);
    this.stmt('INSERT OR REPLACE INTO meta (key, doc) VALUES (?, ?)').run(
      `${SUMMARY_KEY}${this.cluster}`,
      JSON.stringify(summary),
    );
  }

  async clusterSummaries(): Promise<ClusterStatistics[]> {
    return docs<ClusterStatistics>(
      this.stmt('SELECT doc FROM meta WHERE key LIKE ? ORDER BY key').all(`${SUMMARY_KEY}%`),
    );
  }

  async waivers(): Promise<StoredWaiver[]> {
    return docs<StoredWaiver>(
      this.stmt('SELECT doc FROM waivers WHERE cluster = ? ORDER BY created_at, id').all(this.cluster),
    );
  }

  async saveWaiver(waiver: StoredWaiver): Promise<void> {
    foreignWaiver(waiver, this.cluster);
    this.stmt('INSERT OR REPLACE INTO waivers (cluster, id, created_at, doc) VALUES (?, ?, ?, ?)').run(
      this.cluster,
      waiver.id,
      waiver.created_at,
      JSON.stringify(waiver),
    );
  }

  private lastAnalysisKey(): string {
    return this.cluster === DEFAULT_CLUSTER ? 'last_analysis' : `last_analysis/${this.cluster}`;
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }

  private open(): DatabaseSync {
    if (!this.db) throw new Error(`embedded store at ${this.config.path} is not open (call init() first)`);
    return this.db;
  }

  /** Prepared once per SQL text; listRecords has at most 2^6 WHERE shapes. */
  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.open().prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
