// Request limits: a deadline for every request, and a cap on body size. POST bodies of this API
// are tiny (an empty object at most), so anything larger than the limit is refused with 413
// before it is read into memory.
import type { Context, Middleware } from 'koa';
import { ApiError } from './errors.ts';

export interface RequestLimits {
  bodyLimitBytes: number;
  requestTimeoutMs: number;
}

/** Answers 503 when the rest of the chain takes longer than `ms`. */
export function requestTimeout(ms: number): Middleware {
  return async (_ctx, next) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ApiError(503, `request timed out after ${ms} ms`)), ms);
    });
    try {
      // A handler finishing after the deadline is harmless: koa ignores writes once the
      // timeout answer has been sent.
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Refuses a declared body over the limit before routing (no need to read it to know). */
export function declaredBodyLimit(limit: number): Middleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length') || '0');
    if (Number.isFinite(declared) && declared > limit) {
      throw new ApiError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
    }
    await next();
  };
}

/** Reads the body as text, stopping with 413 as soon as it passes the limit (chunked uploads). */
export async function readBody(ctx: Context, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) {
      throw new ApiError(413, `request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty body or an empty JSON object: the only bodies POST /api/v1/analyze accepts. */
export async function readEmptyJsonBody(ctx: Context, limit: number): Promise<void> {
  const text = (await readBody(ctx, limit)).trim();
  if (text === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'request body must be empty or a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 'request body must be empty or a JSON object');
  }
  const keys = Object.keys(parsed);
  if (keys.length > 0) throw new ApiError(400, `unknown body field '${keys[0]}' (this endpoint takes none)`);
}
