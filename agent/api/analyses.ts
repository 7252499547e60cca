// Analysis endpoints: trigger one (joining the run in progress, if any), read its status, and the
// agent's version. The scheduler behind AgentControl decides what "joining" means.
import type Router from '@koa/router';
import type { AnalyzeResponse } from '../../shared/types.ts';
import type { AgentControl } from './control.ts';
import { ApiError } from './errors.ts';
import { readEmptyJsonBody } from './limits.ts';
import { noParams } from './query.ts';

/** What an analysis id may look like (also the OpenAPI path parameter's pattern). */
export const ANALYSIS_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function analysisRoutes(router: Router, control: AgentControl, bodyLimitBytes: number): void {
  router.post('/api/v1/analyze', async (ctx) => {
    noParams(ctx.querystring);
    await readEmptyJsonBody(ctx, bodyLimitBytes);
    const lead = control.leadership?.();
    if (lead && !lead.leading)
      throw new ApiError(
        503,
        `this replica follows${lead.holder ? ` ${lead.holder}` : ''}: only the leader analyses (it does so on every change and timer tick); the records here are current`,
      );
    const status = control.triggerAnalysis('manual');
    ctx.status = 202;
    ctx.set('Location', `/api/v1/analyses/${encodeURIComponent(status.analysis_id)}`);
    ctx.body = {
      message: 'Analysis triggered',
      status: 'started',
      analysis_id: status.analysis_id,
    } satisfies AnalyzeResponse;
  });
  router.get('/api/v1/analyses/:id', (ctx) => {
    noParams(ctx.querystring);
    const id = ctx.params['id'] ?? '';
    if (!ANALYSIS_ID.test(id)) throw new ApiError(400, `malformed analysis id ${JSON.stringify(id)}`);
    const status = control.analysis(id);
    if (!status) throw new ApiError(404, `no analysis ${id} (the agent keeps the most recent ones)`);
    ctx.body = status;
  });
  router.get('/api/v1/version', (ctx) => {
    noParams(ctx.querystring);
    ctx.body = control.version();
  });
}
