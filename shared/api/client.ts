// The one HTTP client for the agent's REST API, shared by the CLI commands and the Ink UI.
// Pure fetch (no Node-only modules) so shared/ stays free of I/O libraries.
import type {
  AnalysisStatus,
  DesiredObjectResponse,
  DriftEvent,
  DriftRecord,
  DriftRecordList,
  Statistics,
  Waiver,
  WaiverList,
} from '../types.ts';
import type { WaiverRequest } from './shapes.ts';
import type { z } from 'zod';
import type { RecordAddress, RecordFilter } from './query.ts';
import { ApiError } from './errors.ts';

export { ApiError };

type Method = 'GET' | 'POST' | 'DELETE';

/** A POST /api/v1/waivers body, as the caller writes it (the agent validates it with the same zod shape). */
export type WaiverInput = z.input<typeof WaiverRequest>;

export type { RecordAddress, RecordFilter };

export interface ProbeResult {
  status: string;
  message: string;
}

export interface ClientOptions {
  /** Deadline of each request (ms); 0 waits as long as the agent takes (kubectl's --request-timeout=0). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
  onProgress?: (s: AnalysisStatus) => void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function query(filter: RecordFilter | RecordAddress | undefined): string {
  if (!filter) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The agent's JSON error body is `{"error": "..."}`; anything else falls back to the status line. */
async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string')
      return body.error;
  } catch {
    // not JSON: use the status line below
  }
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

function unreachable(url: string, err: unknown): ApiError {
  const cause =
    err instanceof Error && err.cause instanceof Error
      ? err.cause.message
      : err instanceof Error
        ? err.message
        : String(err);
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new ApiError(null, `agent at ${url} did not answer in time`);
  }
  return new ApiError(null, `agent unreachable at ${url}: ${cause}`);
}

/** The API pages record lists (default 100, at most 1000 a request): read pages of 1000 until a short one. */
const PAGE = 1000;
const MAX_PAGES = 100;

/** Every record a list endpoint matches (up to MAX_PAGES pages), not just the API's default first page. */
export async function allPages(
  fetchPage: (f: RecordFilter) => Promise<DriftRecordList>,
  filter: RecordFilter = {},
): Promise<DriftRecordList> {
  const records: DriftRecordList['drift_records'] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchPage({ ...filter, limit: PAGE, offset: page * PAGE });
    records.push(...res.drift_records);
    if (res.drift_records.length < PAGE) break;
  }
  return { drift_records: records, count: records.length };
}

export class DriftGuardClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, opts: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** One request; a JSON `body` is sent as `application/json`. No answer at all is ApiError(null). */
  private async send(method: Method, path: string, body?: unknown): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(this.timeoutMs > 0 ? { signal: AbortSignal.timeout(this.timeoutMs) } : {}),
      });
    } catch (err) {
      throw unreachable(this.baseUrl, err);
    }
  }

  private async parse<T>(res: Response): Promise<T> {
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, `agent sent a response that is not JSON (HTTP ${res.status})`);
    }
  }

  /** Any method, the same errors: not a success is ApiError(status, the agent's `error`). */
  private async json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
    return this.parse<T>(res);
  }

  /** POST with a JSON body (e.g. a WaiverRequest); the answer's JSON. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.json('POST', path, body);
  }

  /** DELETE; the answer's JSON (the API answers a delete with what it ended). */
  delete<T>(path: string): Promise<T> {
    return this.json('DELETE', path);
  }

  /** Health and readiness answer 503 with a body when not ok; that is a state, not an error. */
  private async probe(path: string): Promise<ProbeResult> {
    const res = await this.send('GET', path);
    if (res.ok || res.status === 503) {
      const body = await this.parse<Partial<ProbeResult>>(res);
      return { status: body.status ?? (res.ok ? 'ok' : 'not_ready'), message: body.message ?? '' };
    }
    throw new ApiError(res.status, await errorMessage(res));
  }

  health(): Promise<ProbeResult> {
    return this.probe('/health');
  }

  ready(): Promise<ProbeResult> {
    return this.probe('/ready');
  }

  records(filter?: RecordFilter): Promise<DriftRecordList> {
    return this.json('GET', `/api/v1/drift-records${query(filter)}`);
  }

  active(filter?: RecordFilter): Promise<DriftRecordList> {
    return this.json('GET', `/api/v1/drift-records/active${query(filter)}`);
  }

  resolved(filter?: RecordFilter): Promise<DriftRecordList> {
    return this.json('GET', `/api/v1/drift-records/resolved${query(filter)}`);
  }

  /** One record of the agent's own cluster, or of another sharing its database (`{ cluster }`). */
  record(resourceId: string, address?: RecordAddress): Promise<DriftRecord> {
    return this.json('GET', `/api/v1/drift-records/${encodeURIComponent(resourceId)}${query(address)}`);
  }

  history(
    resourceId: string,
    address?: RecordAddress,
  ): Promise<{ resource_id: string; events: DriftEvent[]; count: number }> {
    return this.json(
      'GET',
      `/api/v1/drift-records/${encodeURIComponent(resourceId)}/history${query(address)}`,
    );
  }

  /** The agent's desired object for a record, at the commit it came from, with its revert plan. */
  desired(resourceId: string, address?: RecordAddress): Promise<DesiredObjectResponse> {
    return this.json(
      'GET',
      `/api/v1/drift-records/${encodeURIComponent(resourceId)}/desired${query(address)}`,
    );
  }

  async statistics(): Promise<Statistics> {
    const body = await this.json<{ statistics: Statistics }>('GET', '/api/v1/statistics');
    return body.statistics;
  }

  analyze(): Promise<{ message: string; status: string; analysis_id: string }> {
    return this.json('POST', '/api/v1/analyze');
  }

  analysis(id: string): Promise<AnalysisStatus> {
    return this.json('GET', `/api/v1/analyses/${encodeURIComponent(id)}`);
  }

  /** Polls an analysis until it is no longer running; rejects with ApiError(null) on timeout. */
  async waitForAnalysis(id: string, opts: WaitOptions = {}): Promise<AnalysisStatus> {
    const interval = opts.intervalMs ?? 500;
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    for (;;) {
      const s = await this.analysis(id);
      opts.onProgress?.(s);
      if (s.status !== 'running') return s;
      if (Date.now() + interval > deadline)
        throw new ApiError(null, `analysis ${id} still running after ${opts.timeoutMs ?? 300_000} ms`);
      await new Promise((r) => setTimeout(r, interval));
    }
  }

  /** Every waiver the agent keeps, with its state now. */
  waivers(): Promise<WaiverList> {
    return this.json('GET', '/api/v1/waivers');
  }

  /** Makes a waiver; a request the agent refuses is ApiError(400) saying why. */
  createWaiver(request: WaiverInput): Promise<Waiver> {
    return this.post('/api/v1/waivers', request);
  }

  /** Revokes a waiver now; ApiError(404) when the agent has no such waiver. */
  revokeWaiver(id: string): Promise<Waiver> {
    return this.delete(`/api/v1/waivers/${encodeURIComponent(id)}`);
  }

  version(): Promise<{ version: string; git_commit: string | null }> {
    return this.json('GET', '/api/v1/version');
  }
}
