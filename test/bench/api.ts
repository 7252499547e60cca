// API throughput and latency: GET /api/v1/drift-records over 10,000 records, on the embedded
// store and on FerretDB, for a default page, a deep page and a filtered query. Prints figures and
// the FerretDB/embedded ratio; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoStore } from '../../agent/store/mongo.ts';
import { ResilientStore } from '../../agent/store/resilient.ts';
import { SqliteStore } from '../../agent/store/sqlite.ts';
import type { Store } from '../../agent/store/store.ts';
import { serveInProcess } from '../api/in-process.ts';
import { startFerretDB } from '../cluster/ferretdb.ts';
import { seedRecords } from '../kit/store-seed.ts';
import { bulkSeedMongo } from './bulk-seed.ts';
import { load, type LoadResult } from './load.ts';
import { figure } from './report.ts';

const RECORDS = 10_000;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);

const QUERIES: [string, string][] = [
  ['default page (limit=100)', '/api/v1/drift-records'],
  ['deep page (limit=100, offset=5000)', '/api/v1/drift-records?limit=100&offset=5000'],
  ['filtered (namespace=shop, severity=high)', '/api/v1/drift-records?namespace=shop&severity=high'],
  ['one record', `/api/v1/drift-records/${encodeURIComponent('Deployment:default:deployment-00000')}`],
  ['statistics', '/api/v1/statistics'],
];

/** Seeding is not measured: the figures are for reads. */
async function timed(what: string, fn: () => Promise<void>): Promise<string> {
  const started = performance.now();
  await fn();
  return `${what} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

// A generous deadline: a slow backend should show as latency, not as 503s.
const LIMITS = { bodyLimitBytes: 1024, requestTimeoutMs: 300_000 };
const TIMEOUTS = { readMs: 300_000, writeMs: 300_000, idleMs: 5_000 };

/** Median of a few sequential requests: meaningful even when a backend completes none under load. */
async function sequentialMs(url: string, times = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    ms.push(performance.now() - started);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)] ?? NaN;
}

async function measure(label: string, inner: Store, seeded: string): Promise<Map<string, LoadResult>> {
  console.log(`\n## ${label} (${seeded})`);
  // As the agent serves it: behind the ResilientStore, whose cache one full read has filled (the
  // agent's first full analysis does that read).
  const store = new ResilientStore(inner);
  await store.allRecords();
  const fixture = await serveInProcess(store, { limits: LIMITS, timeouts: TIMEOUTS });
  const results = new Map<string, LoadResult>();
  try {
    for (const [name, path] of QUERIES) {
      const single = await sequentialMs(`${fixture.apiUrl}${path}`);
      const r = await load(`${fixture.apiUrl}${path}`, { seconds: SECONDS, connections: CONNECTIONS });
      results.set(name, r);
      // Requests still queued when the load stopped finish before the next figure is taken.
      await sequentialMs(`${fixture.apiUrl}${path}`, 1);
      const problems = r.non2xx + r.errors > 0 ? `  (${r.non2xx} non-2xx, ${r.errors} errors/timeouts)` : '';
      const underLoad =
        r.requests > 0 ? `p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms` : 'no request completed under load';
      figure({
        section: `API ${label.split(' ')[0] === 'embedded' ? 'embedded' : 'FerretDB'} ${RECORDS}`,
        name: `${name}: p99 at ${CONNECTIONS} connections`,
        value: r.requests > 0 ? r.p99Ms : null,
        unit: 'ms',
        note: `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, alone ${single.toFixed(1)} ms${problems}`,
        ...(label.startsWith('embedded') ? { goal: '< 50 ms', met: r.requests > 0 && r.p99Ms < 50 } : {}),
      });
      console.log(
        `${name.padEnd(44)} alone ${single.toFixed(1).padStart(7)} ms   ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   ${underLoad}${problems}`,
      );
    }
  } finally {
    await fixture.close();
  }
  return results;
}

async function embedded(): Promise<Map<string, LoadResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'driftguard-bench-'));
  const store = new SqliteStore({ path: join(dir, 'bench.db') });
  await store.init();
  try {
    const seeded = await timed(`seedRecords wrote ${RECORDS} records`, () => seedRecords(store, RECORDS));
    return await measure('embedded store (node:sqlite)', store, seeded);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ferret(): Promise<Map<string, LoadResult>> {
  const db = await startFerretDB();
  const name = 'driftguard_bench';
  const store = new MongoStore({ uri: db.uri, name, connectTimeoutMs: 5000 });
  try {
    await store.init();
    const seeded = await timed(`bulk-inserted seedRecords' ${RECORDS} records`, () =>
      bulkSeedMongo(db.uri, name, RECORDS),
    );
    return await measure('MongoDB store on FerretDB', store, seeded);
  } finally {
    await store.close();
    await db.stop();
  }
}

export async function runApiBench(): Promise<void> {
  console.log(
    `# API: GET drift records, ${RECORDS} records, ${SECONDS} s per query, ${CONNECTIONS} connections (autocannon, loopback)`,
  );
  const a = await embedded();
  const b = await ferret();
  console.log('\n## FerretDB / embedded');
  for (const [name] of QUERIES) {
    const x = a.get(name);
    const y = b.get(name);
    if (!x || !y) continue;
    const ratio = x.requestsPerSecond > 0 ? (y.requestsPerSecond / x.requestsPerSecond).toFixed(3) : 'n/a';
    console.log(
      `${name.padEnd(44)} throughput ×${ratio}   p99 ${y.requests > 0 ? `${y.p99Ms} ms` : 'n/a'} vs ${x.p99Ms} ms`,
    );
  }
}
