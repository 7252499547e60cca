// One bounded HTTP GET for the dependency fetcher: a time limit, a byte limit (Content-Length
// first, then counted while reading), basic or bearer credentials sent only to the repository's own
// origin, and error messages that name the URL without credentials.
import { RenderError } from '../errors.ts';
import type { Credentials } from './repositories.ts';

export interface Get {
  url: string;
  maxBytes: number;
  timeoutMs: number;
  headers?: Record<string, string> | undefined;
  /** Sent as basic auth when the URL's origin is `authOrigin`. */
  credentials?: Credentials | null | undefined;
  authOrigin?: string | undefined;
  bearer?: string | undefined;
  what: string;
  /** Redirects followed so far. */
  hops?: number | undefined;
}

export interface Got {
  status: number;
  headers: Headers;
  body: Buffer;
}

function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

async function readLimited(res: Response, get: Get): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  const over = (): RenderError =>
    new RenderError('safety', `${get.what} is over the ${get.maxBytes}-byte limit; refusing to download it`);
  if (Number.isFinite(declared) && declared > get.maxBytes) {
    await res.body?.cancel();
    throw over();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body)
    for await (const chunk of res.body) {
      total += (chunk as Uint8Array).byteLength;
      if (total > get.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw over();
      }
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  return Buffer.concat(chunks);
}

/** GET with limits; a non-2xx status is returned (the caller decides), a network failure thrown. */
export async function boundedGet(get: Get): Promise<Got> {
  const headers: Record<string, string> = { ...get.headers };
  const origin = new URL(get.url).origin;
  if (get.bearer) headers['authorization'] = `Bearer ${get.bearer}`;
  else if (get.credentials && get.authOrigin === origin) headers['authorization'] = basic(get.credentials);
  let res: Response;
  try {
    // Redirects are followed by hand below, so credentials never follow one to another origin.
    res = await fetch(get.url, { headers, redirect: 'manual', signal: AbortSignal.timeout(get.timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${get.timeoutMs / 1000} s`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new RenderError('fetch', `${get.what}: cannot reach ${safeUrl(get.url)}: ${why}`);
  }
  const location = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && location) {
    await res.body?.cancel();
    if ((get.hops ?? 0) >= 5)
      throw new RenderError('fetch', `${get.what}: too many redirects from ${safeUrl(get.url)}`);
    const next = new URL(location, get.url).toString();
    const same = new URL(next).origin === origin;
    return boundedGet({
      ...get,
      url: next,
      bearer: same ? get.bearer : undefined,
      hops: (get.hops ?? 0) + 1,
    });
  }
  if (res.status < 200 || res.status >= 300) {
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, body: Buffer.alloc(0) };
  }
  return { status: res.status, headers: res.headers, body: await readLimited(res, get) };
}

/** A URL for messages: no userinfo, no query. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

export function httpFailure(what: string, url: string, status: number): RenderError {
  const hint = status === 401 || status === 403 ? ' (check the credentials Secret of this repository)' : '';
  return new RenderError('fetch', `${what}: ${safeUrl(url)} answered ${status}${hint}`);
}
