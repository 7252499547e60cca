// Raw JSON requests against the API server with the kubeconfig's credentials. Raw on purpose: the typed
// models of client-node drop fields they do not know (newer API fields, CRD fields), and a dropped
// field would look like drift. Dates stay strings, exactly as the server sent them.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../cli/errors.ts';

export interface KubeResponse {
  status: number;
  body: unknown;
}

export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  /** The Status object the server sent (details.causes name the fields of a conflict). */
  readonly body: unknown;
  constructor(status: number, reason: string, message: string, body: unknown = null) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.body = body;
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  /** Content type of the body (a PATCH names its patch type this way). */
  contentType?: string;
}

function statusMessage(body: unknown, status: number): { reason: string; message: string } {
  if (body && typeof body === 'object') {
    const b = body as { reason?: unknown; message?: unknown };
    return {
      reason: typeof b.reason === 'string' ? b.reason : '',
      message: typeof b.message === 'string' ? b.message : `HTTP ${status}`,
    };
  }
  return { reason: '', message: `HTTP ${status}` };
}

const TIMEOUT_MS = 30_000;

/** GET `path` (e.g. `/api/v1/namespaces/x/pods`); 404 resolves with status 404, other non-2xx throw KubeApiError. */
export function kubeGet(kc: KubeConfig, path: string): Promise<KubeResponse> {
  return kubeRequest(kc, path, { method: 'GET' });
}

/** One request; 404 resolves with status 404, other non-2xx throw KubeApiError. */
export async function kubeRequest(kc: KubeConfig, path: string, req: KubeRequest): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new CliError('no cluster in kubeconfig');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const opts: RequestOptions = {
    method: req.method,
    headers: {
      accept: 'application/json',
      ...(payload !== undefined
        ? {
            'content-type': req.contentType ?? 'application/json',
            'content-length': Buffer.byteLength(payload),
          }
        : {}),
    },
    timeout: TIMEOUT_MS,
  };
  await kc.applyToHTTPSOptions(opts);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const r = send(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000}s`)));
    r.on('error', (err) =>
      reject(new CliError(`cannot reach the Kubernetes API server at ${cluster.server}: ${err.message}`)),
    );
    r.end(payload);
  });
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = null;
  }
  if (status >= 200 && status < 300) return { status, body };
  if (status === 404) return { status, body };
  const { reason, message } = statusMessage(body, status);
  throw new KubeApiError(status, reason, message, body);
}
