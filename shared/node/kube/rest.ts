// Raw JSON requests against the API server with the kubeconfig's credentials. Raw on purpose: the typed
// models of client-node drop fields they do not know (newer API fields, CRD fields), and a dropped
// field would look like drift. Dates stay strings, exactly as the server sent them. The agent
// reads (GET) and writes only its Lease and Events (POST, PUT); writes to user objects are the
// plugin's, with the user's own credentials.
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  status: number;
  body: unknown;
}

/** A non-2xx answer (other than a 404), or no answer at all (status 0). */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** The Status object the server sent (details.causes name the fields of a conflict). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  body?: unknown;
  /** Content type of the body (a PATCH names its patch type this way). */
  contentType?: string;
  /** Default application/json; a metadata-only list asks for PartialObjectMetadataList. */
  accept?: string;
}

/** The reason and message of a Status body the server sent with a failure (or `HTTP <status>`). */
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

/**
 * client-node's applyToHTTPSOptions makes a new https.Agent (without keep-alive) on every call, so
 * each request would pay a TCP and TLS handshake: a 1,000-object `analyze --local` made ~80 of them.
 * One keep-alive agent per KubeConfig instead, made anew when the TLS material changes (certificate
 * files are re-read on every call, so a rotated certificate is still picked up). A proxy agent is
 * used as client-node made it.
 */
const keepAlive = new WeakMap<KubeConfig, { key: string; agent: HttpsAgent }>();

function reuseConnections(kc: KubeConfig, opts: RequestOptions): void {
  const made = opts.agent;
  if (!(made instanceof HttpsAgent) || made.constructor !== HttpsAgent) return;
  const o = made.options;
  const key = [o.ca, o.cert, o.key, o.pfx, o.passphrase, o.rejectUnauthorized, o.servername]
    .map((v) => (v === undefined ? '' : String(v)))
    .join('\0');
  let cached = keepAlive.get(kc);
  if (cached?.key !== key) {
    cached?.agent.destroy();
    // Idle sockets close after 4 s (the API server keeps them far longer), so a socket is never
    // reused after the server has dropped it, and a finished command holds nothing open for long.
    cached = { key, agent: new HttpsAgent({ ...o, keepAlive: true, timeout: 4_000 }) };
    keepAlive.set(kc, cached);
  }
  opts.agent = cached.agent;
}

/** GET `path` (e.g. `/api/v1/namespaces/x/pods`); 404 resolves with status 404, other non-2xx throw KubeApiError. */
export function kubeGet(kc: KubeConfig, path: string, timeoutMs = TIMEOUT_MS): Promise<KubeResponse> {
  return kubeRequest(kc, path, { method: 'GET' }, timeoutMs);
}

/** One request; 404 resolves with status 404, other non-2xx throw KubeApiError. */
export async function kubeRequest(
  kc: KubeConfig,
  path: string,
  req: KubeRequest,
  timeoutMs = TIMEOUT_MS,
): Promise<KubeResponse> {
  const { url, server } = clusterUrl(kc, path);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const opts: RequestOptions = {
    method: req.method,
    headers: {
      accept: req.accept ?? 'application/json',
      ...(payload !== undefined
        ? {
            'content-type': req.contentType ?? 'application/json',
            'content-length': Buffer.byteLength(payload),
          }
        : {}),
    },
    timeout: timeoutMs,
  };
  await kc.applyToHTTPSOptions(opts);
  reuseConnections(kc, opts);
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
    r.on('timeout', () => r.destroy(new Error(`no answer in ${timeoutMs / 1000}s`)));
    r.on('error', (err) => reject(unreachable(server, err)));
    r.end(payload);
  });
  const body = parsedBody(text);
  if ((status >= 200 && status < 300) || status === 404) return { status, body };
  throw refusedBy(status, body);
}

/** An answer's JSON body, or null when it has none or it is not JSON. */
export function parsedBody(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** The error of a failed answer: its status and the reason and message of its Status body. */
export function refusedBy(status: number, body: unknown): KubeApiError {
  const { reason, message } = statusMessage(body, status);
  return new KubeApiError(status, reason, message, body);
}

/** The URL of `path` on the kubeconfig's current cluster, and that cluster's server. */
export function clusterUrl(kc: KubeConfig, path: string): { url: URL; server: string } {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeApiError(0, '', 'no cluster in kubeconfig');
  return { url: new URL(cluster.server.replace(/\/+$/, '') + path), server: cluster.server };
}

/** A request that got no answer (connection refused, reset, TLS failure). */
export function unreachable(server: string, err: Error): KubeApiError {
  return new KubeApiError(0, '', `cannot reach the Kubernetes API server at ${server}: ${err.message}`);
}

/** GET that must succeed: a 404 throws too. */
export async function kubeGetOk(kc: KubeConfig, path: string, timeoutMs = TIMEOUT_MS): Promise<unknown> {
  const res = await kubeGet(kc, path, timeoutMs);
  if (res.status === 404) throw new KubeApiError(404, 'NotFound', `GET ${path}: not found`);
  return res.body;
}
