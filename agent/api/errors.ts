// Every failure the API answers with is an ApiError: a status and a message, sent as
// `{"error": "..."}`. Anything else that escapes a handler is classified here as a store
// outage (503) or an internal error (500), so a client never sees a stack trace or a hang-up.
import type { Middleware } from 'koa';
import type { Logger } from '../log.ts';
import { StoreUnavailableError } from '../store/resilient.ts';
import type { ErrorBody } from '../../shared/types.ts';
import type { Store } from '../store/store.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { errorMessage } from '../../shared/errors.ts';

export { ApiError } from '../../shared/api/errors.ts';

/** How long the error path waits for a ping before calling the store unreachable. */
const PING_DEADLINE_MS = 1000;

async function storeReachable(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_DEADLINE_MS);
  });
  try {
    return await Promise.race([store.ping().catch(() => false), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Turns any thrown error into a JSON error response with the right status. Without a store
 * (the health app) an unexpected error is simply a 500.
 */
export function errorResponses(store: Store | undefined, logger: Logger | undefined): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      let status: number;
      let message: string;
      if (err instanceof ApiError) {
        status = err.status ?? 500;
        message = err.message;
      } else if (err instanceof StoreUnavailableError) {
        // The resilient store already knows: its message says what is waiting for the database.
        status = 503;
        message = err.message;
      } else if (!store || (await storeReachable(store))) {
        status = 500;
        message = 'internal error';
        logger?.error(
          { event: 'api_request_failed', err, method: ctx.method, path: ctx.path },
          'API request failed',
        );
      } else {
        // The store is down: a clear, retryable answer rather than a 500.
        status = 503;
        message = `store unavailable: ${errorMessage(err)}`;
        logger?.warn(
          { event: 'store_unavailable', err: errorMessage(err), method: ctx.method, path: ctx.path },
          'store unavailable',
        );
      }
      ctx.status = status;
      ctx.body = { error: message } satisfies ErrorBody;
    }
  };
}

/**
 * Wraps the router: after it, a 405 left by allowedMethods (with its Allow header) and a request
 * no route answered become JSON errors.
 */
export function routeFallbacks(): Middleware {
  return async (ctx, next) => {
    await next();
    // 501 is what the router says for a method it knows nothing of (PROPFIND): to a client of
    // this API that is just another wrong method.
    if (ctx.status === 405 || ctx.status === 501) {
      throw new ApiError(
        405,
        `method ${ctx.method} not allowed on ${ctx.path} (allowed: ${ctx.response.get('Allow')})`,
      );
    }
    // OPTIONS: the Allow header is the answer; no empty text/plain body.
    if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.body === '') {
      ctx.status = 204;
      return;
    }
    if (ctx.body === undefined) throw new ApiError(404, `no route for ${ctx.method} ${ctx.path}`);
  };
}
