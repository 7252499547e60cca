// Raw JSON GETs against the API server with the kubeconfig's credentials. Raw on purpose: the typed
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
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }
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
export async function kubeGet(kc: KubeConfig, path: string): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new CliError('no cluster in kubeconfig');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const opts: RequestOptions = {
    method: 'GET',
    headers: { accept: 'application/json' },
    timeout: TIMEOUT_MS,
  };
  await kc.applyToHTTPSOptions(opts);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = send(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000}s`)));
    req.on('error', (err) =>
      reject(new CliError(`cannot reach the Kubernetes API server at ${cluster.server}: ${err.message}`)),
    );
    req.end();
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
  throw new KubeApiError(status, reason, message);
}
