// Drift-record endpoints: lists (all, active, resolved), one record, and its history.
// `/active` and `/resolved` are registered before `/:resourceId`, which would otherwise match them.
// Each takes `?cluster=`: the lists a name or `*`, the endpoints of one record one name (agents of
// several clusters may share one database).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { parseResourceId, type DriftEvent, type DriftHistory, type DriftRecord } from '../../shared/types.ts';
import type { AgentControl } from './control.ts';
import type { Store } from '../store/store.ts';
import { ALL_CLUSTERS } from '../../shared/api/query.ts';
import { knownClusters } from '../records/cluster-statistics.ts';
import { ApiError } from './errors.ts';
import { historyQuery, recordAddress, recordQuery } from './query.ts';
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
  if (page.count === 0 && query.cluster !== undefined && query.cluster !== ALL_CLUSTERS)
    await knownCluster(store, query.cluster);
  return recordListJson(page.records, page.count);
}

/** A 404 listing the clusters the database knows when `cluster` is not one of them. */
async function knownCluster(store: Store, cluster: string): Promise<void> {
  if (!store.clusters) return;
  const known = knownClusters(await store.clusters());
  if (!known.includes(cluster))
    throw new ApiError(
      404,
      `no records for cluster ${cluster} in this database; known clusters: ${known.join(', ') || 'none'}`,
    );
}

/**
 * Another cluster named by `?cluster=` of an endpoint of one record, or null for the agent's own
 * (absent, or its own name: those reads come from the agent's in-memory copy).
 */
function otherCluster(control: AgentControl, cluster: string | undefined): string | null {
  return cluster === undefined || cluster === control.cluster?.() ? null : cluster;
}

/** One record of the agent's own cluster or, by `?cluster=`, of another sharing its database. */
async function recordOf(store: Store, cluster: string | null, id: string): Promise<DriftRecord | null> {
  if (cluster === null) return store.getRecord(id);
  return (await store.recordOf?.(cluster, id)) ?? null;
}

function historyOf(store: Store, cluster: string | null, id: string, limit: number): Promise<DriftEvent[]> {
  if (cluster === null) return store.history(id, limit);
  return store.historyOf?.(cluster, id, limit) ?? Promise.resolve([]);
}

/** " of cluster NAME" for another cluster's record in messages, else nothing. */
const ofCluster = (cluster: string | null): string => (cluster === null ? '' : ` of cluster ${cluster}`);

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
    const cluster = otherCluster(control, recordAddress(ctx.querystring).cluster);
    const record = await recordOf(store, cluster, id);
    if (!record) {
      if (cluster !== null) await knownCluster(store, cluster);
      throw new ApiError(404, `no drift record for ${id}${ofCluster(cluster)}`);
    }
    json(ctx, recordJson(record));
  });
  router.get(`${base}/:resourceId/desired`, async (ctx) => {
    const id = validResourceId(ctx.params['resourceId']);
    const cluster = otherCluster(control, recordAddress(ctx.querystring).cluster);
    if (cluster !== null) {
      await knownCluster(store, cluster);
      // This agent's Git state is its own cluster's; another cluster's may differ (its own sources).
      throw new ApiError(
        404,
        `the desired state of cluster ${cluster} is held by that cluster's agent, not this one (cluster ${control.cluster?.() ?? 'unknown'}): reach ${cluster}'s agent through a kubeconfig context of that cluster; the record itself (with its changed fields) is GET ${base}/${encodeURIComponent(id)}?cluster=${cluster}`,
      );
    }
    const desired = control.desired(id);
    if (!desired) throw new ApiError(404, `Git declares no object ${id}`);
    ctx.body = desired;
  });
  router.get(`${base}/:resourceId/history`, async (ctx) => {
    const id = validResourceId(ctx.params['resourceId']);
    const query = historyQuery(ctx.querystring);
    const cluster = otherCluster(control, query.cluster);
    const [events, record] = await Promise.all([
      historyOf(store, cluster, id, query.limit),
      recordOf(store, cluster, id),
    ]);
    // A deleted record may still have history worth showing; only a resource never seen is unknown.
    if (events.length === 0 && !record) {
      if (cluster !== null) await knownCluster(store, cluster);
      throw new ApiError(404, `no drift record or history for ${id}${ofCluster(cluster)}`);
    }
    ctx.body = { resource_id: id, events, count: events.length } satisfies DriftHistory;
  });
}
