// Drift-record endpoints: lists (all, active, resolved), one record, and its history.
// `/active` and `/resolved` are registered before `/:resourceId`, which would otherwise match them.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { parseResourceId, type DriftHistory, type DriftRecord } from '../../shared/types.ts';
import type { AgentControl } from './control.ts';
import type { Store } from '../store/store.ts';
import { ALL_CLUSTERS } from '../../shared/api/query.ts';
import { knownClusters } from '../records/cluster-statistics.ts';
import { ApiError } from './errors.ts';
import { historyLimit, noParams, recordQuery } from './query.ts';
import { recordJson, recordListJson } from './record-json.ts';

function validResourceId(raw: string | undefined): string {
  const id = raw ?? '';
  if (parseResourceId(id) === null) {
    throw new ApiError(
      400,
      `malformed resource id ${JSON.stringify(id)}: expected Kind:namespace:name (Kind::name when cluster-scoped), URL-encoded`,
    );
  }
  return id;
}

/**
 * A DriftRecordList as JSON text (see record-json.ts). A cluster named that the database does not
 * know (no record, no analysis) is a 404 listing those it knows: a typo is never an empty success.
 */
async function list(store: Store, querystring: string, status?: 'active' | 'resolved'): Promise<string> {
  const query = recordQuery(querystring, status);
  const page = await store.listRecords(query);
  if (page.count === 0 && query.cluster !== undefined && query.cluster !== ALL_CLUSTERS && store.clusters) {
    const known = knownClusters(await store.clusters());
    if (!known.includes(query.cluster))
      throw new ApiError(
        404,
        `no records for cluster ${query.cluster} in this database; known clusters: ${known.join(', ') || 'none'}`,
      );
  }
  return recordListJson(page.records, page.count);
}

/** A JSON text body: koa would send a string as text/plain. */
function json(ctx: Context, text: string): void {
  ctx.type = 'application/json';
  ctx.body = text;
}

export function recordRoutes(router: Router, store: Store, control: AgentControl): void {
  const base = '/api/v1/drift-records';
  router.get(base, async (ctx) => {
    json(ctx, await list(store, ctx.querystring));
  });
  router.get(`${base}/active`, async (ctx) => {
    json(ctx, await list(store, ctx.querystring, 'active'));
  });
  router.get(`${base}/resolved`, async (ctx) => {
    json(ctx, await list(store, ctx.querystring, 'resolved'));
  });
  router.get(`${base}/:resourceId`, async (ctx) => {
    const id = validResourceId(ctx.params['resourceId']);
    noParams(ctx.querystring);
    const record: DriftRecord | null = await store.getRecord(id);
    if (!record) throw new ApiError(404, `no drift record for ${id}`);
    json(ctx, recordJson(record));
  });
  router.get(`${base}/:resourceId/desired`, (ctx) => {
    const id = validResourceId(ctx.params['resourceId']);
    noParams(ctx.querystring);
    const desired = control.desired(id);
    if (!desired) throw new ApiError(404, `Git declares no object ${id}`);
    ctx.body = desired;
  });
  router.get(`${base}/:resourceId/history`, async (ctx) => {
    const id = validResourceId(ctx.params['resourceId']);
    const limit = historyLimit(ctx.querystring);
    const [events, record] = await Promise.all([store.history(id, limit), store.getRecord(id)]);
    // A deleted record may still have history worth showing; only a resource never seen is unknown.
    if (events.length === 0 && !record) throw new ApiError(404, `no drift record or history for ${id}`);
    ctx.body = { resource_id: id, events, count: events.length } satisfies DriftHistory;
  });
}
