// /api/v1/waivers: known drift accepted until an expiry (list, create, revoke). The body and the
// answers are the zod shapes WaiverRequest, Waiver and WaiverList (shared/api/shapes.ts).
import type Router from '@koa/router';
import type { WaiverList } from '../../shared/types.ts';
import { WaiverInputError, type WaiverBook } from '../waivers/book.ts';
import { ApiError } from './errors.ts';
import { readBody } from './limits.ts';
import { noParams } from './query.ts';

const WAIVER_ID = /^[A-Za-z0-9-]{1,64}$/;

export function waiverRoutes(router: Router, book: WaiverBook | undefined, bodyLimitBytes: number): void {
  const need = (): WaiverBook => {
    if (!book) throw new ApiError(503, 'this agent keeps no waivers (its store has none)');
    return book;
  };
  router.get('/api/v1/waivers', async (ctx) => {
    noParams(ctx.querystring);
    const b = need();
    await b.load();
    const waivers = b.all();
    ctx.body = { waivers, count: waivers.length } satisfies WaiverList;
  });
  router.post('/api/v1/waivers', async (ctx) => {
    noParams(ctx.querystring);
    const b = need();
    let body: unknown;
    try {
      body = JSON.parse(await readBody(ctx, bodyLimitBytes));
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(400, 'request body must be a JSON object (a WaiverRequest)');
    }
    try {
      ctx.body = await b.create(body);
    } catch (err) {
      if (err instanceof WaiverInputError) throw new ApiError(400, err.message);
      throw err;
    }
    ctx.status = 201;
  });
  router.delete('/api/v1/waivers/:id', async (ctx) => {
    noParams(ctx.querystring);
    const id = ctx.params['id'] ?? '';
    if (!WAIVER_ID.test(id)) throw new ApiError(400, `malformed waiver id ${JSON.stringify(id)}`);
    const revoked = await need().revoke(id);
    if (!revoked) throw new ApiError(404, `no waiver ${id}`);
    ctx.body = revoked;
  });
}
