// POST /api/v1/audit: the API server's audit webhook backend posts audit.k8s.io/v1 EventLists
// here (config audit.webhook); the agent joins them to the writes that caused drift. Answered 200
// at once (the API server retries a failed batch, which the journal keeps once per audit id).
import type Router from '@koa/router';
import type { AuditReceiver } from '../audit/receiver.ts';
import { ApiError } from './errors.ts';
import { readBody } from './limits.ts';
import { errorMessage } from '../../shared/errors.ts';

export function auditRoutes(
  router: Router,
  receiver: AuditReceiver | undefined,
  bodyLimitBytes: number,
): void {
  router.post('/api/v1/audit', async (ctx) => {
    // No noParams here: the API server's webhook client adds its own (`?timeout=30s`).
    if (!receiver)
      throw new ApiError(404, 'audit events are not accepted here: set audit.webhook: true in the config');
    const text = await readBody(ctx, bodyLimitBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'request body must be JSON (an audit.k8s.io/v1 EventList)');
    }
    try {
      ctx.body = receiver.list(body);
    } catch (err) {
      throw new ApiError(400, errorMessage(err));
    }
  });
}
