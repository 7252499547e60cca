// Helpers of the fault cases: the record history as the API returns it, /ready, etcd through its
// JSON gateway, and the open TCP connections to a port (from /proc, so nothing is guessed).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import type { AgentProcess } from '../kit/agent-process.ts';

export interface HistoryEvent {
  event: string;
  timestamp?: string;
}

export async function history(agent: AgentProcess, id: string): Promise<HistoryEvent[]> {
  const res = await fetch(
    `${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}/history?limit=1000`,
  );
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`history ${id}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { events: HistoryEvent[] }).events;
}

export interface ReadyState {
  code: number;
  message: string;
  components: { name: string; ready: boolean; message: string }[];
}

export async function readyState(agent: AgentProcess): Promise<ReadyState> {
  const res = await fetch(`${agent.healthUrl}/ready`);
  const body = (await res.json()) as Omit<ReadyState, 'code'>;
  return { code: res.status, message: body.message, components: body.components };
}

/** The message of one component of /ready. */
export function component(s: ReadyState, name: string): string {
  return s.components.find((c) => c.name === name)?.message ?? '';
}

/** Polls /ready until `pred` holds; the last answer. */
export async function waitReadyState(
  agent: AgentProcess,
  pred: (s: ReadyState) => boolean,
  ms: number,
): Promise<ReadyState> {
  const deadline = Date.now() + ms;
  let last: ReadyState = { code: 0, message: 'no answer', components: [] };
  while (Date.now() < deadline) {
    last = await readyState(agent).catch(() => last);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/ready did not reach the expected state within ${ms} ms; last: ${JSON.stringify(last)}`);
}

/** The sum of a metric's samples whose labels include `labels` (0 when there is none). */
export async function metricSum(
  agent: AgentProcess,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${agent.healthUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function etcdCall(etcdUrl: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Moves etcd's revision on by `writes` puts of a key outside Kubernetes' prefix, then compacts
 * everything before the new revision: any resourceVersion handed out before is now too old (410).
 */
export async function bumpAndCompact(etcdUrl: string, writes = 20): Promise<number> {
  let revision = 0;
  for (let i = 0; i < writes; i++) {
    const put = await etcdCall(etcdUrl, '/v3/kv/put', {
      key: b64('/driftguard-faults/bump'),
      value: b64(String(i)),
    });
    revision = Number((put['header'] as { revision: string }).revision);
  }
  await etcdCall(etcdUrl, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}

interface TcpRow {
  localPort: number;
  remotePort: number;
  inode: string;
}

function establishedRows(): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '01') continue;
      const port = (addr: string | undefined) => parseInt(addr?.split(':')[1] ?? '', 16);
      rows.push({ localPort: port(cols[1]), remotePort: port(cols[2]), inode: cols[9] ?? '' });
    }
  }
  return rows;
}

/**
 * Established connections to the server on `port` that this test process does not hold itself
 * (its own fetch() keeps idle keep-alive connections pooled; those say nothing about the agent):
 * what the agent or a finished plugin process would have left open.
 */
export function establishedTo(port: number): number {
  const own = new Set(
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter((x): x is string => x !== undefined),
  );
  const rows = establishedRows();
  const ownClientPorts = new Set(
    rows.filter((r) => r.remotePort === port && own.has(r.inode)).map((r) => r.localPort),
  );
  return rows.filter((r) => r.localPort === port && !ownClientPorts.has(r.remotePort)).length;
}

/** POST with a fresh connection each (no client keep-alive pool that would hold sockets open). */
export function postOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
