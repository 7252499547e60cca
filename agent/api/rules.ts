// /api/v1/rules: every ignore rule with how many fields it matched in the last analysis, so a rule
// that matches nothing is visible. The answer is the zod shape RuleList (shared/api/rule-shapes.ts).
import type Router from '@koa/router';
import type { AgentControl } from './control.ts';
import { ApiError } from './errors.ts';
import { noParams } from './query.ts';

export function ruleRoutes(router: Router, control: AgentControl): void {
  router.get('/api/v1/rules', (ctx) => {
    noParams(ctx.querystring);
    if (!control.rules) throw new ApiError(503, 'this agent reports no rules');
    ctx.body = control.rules();
  });
}
