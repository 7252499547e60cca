// Talks to a child Node process started with --inspect=127.0.0.1:0 over the DevTools protocol
// (Node's own WebSocket): force a GC and read its memory, take a heap-snapshot summary. Lets the
// benchmark measure the real agent process without any hook in the product.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Inspector {
  /** Forces a full GC (HeapProfiler.collectGarbage), then returns process.memoryUsage() in the child. */
  gcAndMemory(): Promise<NodeJS.MemoryUsage>;
  /** Writes a full heap snapshot (.heapsnapshot, as DevTools saves it) to `path`. */
  heapSnapshot(path: string): Promise<void>;
  close(): void;
}

/** The inspector's WebSocket URL from the child's stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(stderr: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
}

export async function connectInspector(url: string): Promise<Inspector> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`inspector at ${url} did not answer`)), {
      once: true,
    });
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let chunks: string[] | null = null;
  ws.addEventListener('message', (ev: MessageEvent) => {
    const msg = JSON.parse(String(ev.data)) as {
      id?: number;
      method?: string;
      params?: { chunk?: string };
      result?: unknown;
      error?: { message: string };
    };
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks?.push(msg.params?.chunk ?? '');
    if (msg.id === undefined) return;
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) w?.reject(new Error(msg.error.message));
    else w?.resolve(msg.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async gcAndMemory() {
      await call('HeapProfiler.collectGarbage');
      const r = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      return JSON.parse(r.result.value) as NodeJS.MemoryUsage;
    },
    async heapSnapshot(path) {
      chunks = [];
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      writeFileSync(path, chunks.join(''));
      chunks = null;
    },
    close() {
      ws.close();
    },
  };
}

/** VmRSS and VmHWM (peak RSS) of a process, in MB, from /proc (Linux). */
export function procMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function procCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Clock ticks of 10 ms (USER_HZ is 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in a .cpuprofile, as "share% name (file:line)". */
export function topSelfTime(profilePath: string, n = 12): string[] {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as { nodes: ProfileNode[] };
  const byFrame = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const f = node.callFrame;
    const file = f.url.replace(/^file:\/\/.*?\/(agent|shared|node_modules)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'} (${file || 'native'}:${f.lineNumber + 1})`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + hits);
  }
  return [...byFrame]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / Math.max(1, total)).toFixed(1)}% ${k}`);
}
