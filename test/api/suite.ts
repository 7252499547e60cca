// The API contract suite: every endpoint, every error case, the metrics, against a server backed
// by a real store. It is a function so that it runs against the in-process apps on each store and,
// later, against a real agent process (tests that need the stand-in control or the metrics object
// skip themselves when the fixture does not provide them).
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { AgentMetrics } from '../../agent/metrics.ts';
import type { Store } from '../../agent/store/store.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { call, postChunked, type Answer } from './client.ts';
import type { TestControl } from './control.ts';
import { byId, EVENTS, RECORDS } from './fixtures.ts';
import { find, parseMetrics } from './prom.ts';

export interface ApiFixture {
  apiUrl: string;
  healthUrl: string;
  /** The store the server reads, for seeding. */
  store: Store;
  /** The stand-in control, when the server runs in-process. */
  control?: TestControl;
  /** The server's metrics object, when the server runs in-process. */
  metrics?: AgentMetrics;
  /** The body limit the server was started with. */
  bodyLimitBytes: number;
  /** The store answers record reads, lists and statistics from its copy during an outage (ResilientStore). */
  servesCachedRecords?: boolean;
  /** Makes the store unreachable (used by the last test). */
  breakStore?(): Promise<void>;
  close(): Promise<void>;
}

export async function seed(store: Store): Promise<void> {
  for (const record of RECORDS) await store.saveRecord(record, null);
  for (const event of EVENTS) await store.saveRecord(byId(event.resource_id), event);
}

const enc = encodeURIComponent;

/** A response body without statistics.trend, whose last point is the time of the request. */
function withoutTrend(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('statistics' in body)) return body;
  const { trend: _trend, ...rest } = (body as { statistics: Record<string, unknown> }).statistics;
  return { statistics: rest };
}

function records(a: Answer): DriftRecord[] {
  return (a.body as { drift_records: DriftRecord[] }).drift_records;
}

function ids(a: Answer): string[] {
  return records(a)
    .map((r) => r.resource_id)
    .sort();
}

function count(a: Answer): number {
  return (a.body as { count: number }).count;
}

function errorOf(a: Answer): string {
  return (a.body as { error: string }).error;
}

function expected(filter: (r: DriftRecord) => boolean): string[] {
  return RECORDS.filter(filter)
    .map((r) => r.resource_id)
    .sort();
}

export function apiSuite(name: string, makeFixture: () => Promise<ApiFixture>): void {
  describe(`API contract (${name})`, () => {
    let f: ApiFixture;
    const api = (
      method: string,
      path: string,
      init?: { body?: string; headers?: Record<string, string> },
    ): Promise<Answer> => call(f.apiUrl, method, path, init);
    const health = (path: string): Promise<Answer> => call(f.healthUrl, 'GET', path);
    const needControl = (t: TestContext): TestControl | undefined => {
      if (!f.control) t.skip('needs the in-process stand-in control');
      return f.control;
    };

    before(async () => {
      f = await makeFixture();
      await seed(f.store);
    });
    after(async () => {
      await f?.close();
    });

    describe('health listener', () => {
      it('GET /health answers healthy', async () => {
        const a = await health('/health');
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, { status: 'healthy', message: 'Service is running' });
      });

      it('GET /ready answers ready with every component', async () => {
        const a = await health('/ready');
        assert.equal(a.status, 200);
        const body = a.body as {
          status: string;
          message: string;
          components: { name: string; ready: boolean }[];
        };
        assert.equal(body.status, 'ready');
        assert.equal(body.message, 'All components ready');
        assert.deepEqual(body.components.map((c) => c.name).sort(), [
          'confirm',
          'git',
          'memory',
          'permissions',
          'source:default',
          'store',
          'watches',
        ]);
      });

      it('GET /ready answers 503 naming each failing component and why', async (t) => {
        const control = needControl(t);
        if (!control) return;
        control.setReady('watches', false, '1 of 3 watches not synced (ConfigMap)');
        control.setReady('git', false, 'clone failed: repository not found');
        try {
          const a = await health('/ready');
          assert.equal(a.status, 503);
          const body = a.body as {
            status: string;
            message: string;
            components: { name: string; ready: boolean }[];
          };
          assert.equal(body.status, 'not_ready');
          assert.match(body.message, /watches: 1 of 3 watches not synced \(ConfigMap\)/);
          assert.match(body.message, /git: clone failed: repository not found/);
          assert.doesNotMatch(body.message, /store/);
          assert.deepEqual(
            body.components
              .filter((c) => !c.ready)
              .map((c) => c.name)
              .sort(),
            ['git', 'watches'],
          );
        } finally {
          control.setReady('watches', true, 'all watches synced');
          control.setReady('git', true, 'desired state loaded');
        }
      });

      it('GET /metrics serves the Prometheus text format with the watched gauge set at scrape time', async (t) => {
        const control = needControl(t);
        if (!control) return;
        control.watched = { Deployment: 7, Secret: 2 };
        const a = await health('/metrics');
        assert.equal(a.status, 200);
        assert.match(a.contentType, /^text\/plain/);
        const samples = parseMetrics(a.text);
        assert.equal(find(samples, 'driftguard_resources_watched', { kind: 'Deployment' })[0]?.value, 7);
        assert.equal(find(samples, 'driftguard_resources_watched', { kind: 'Secret' })[0]?.value, 2);
        assert.equal(
          find(samples, 'driftguard_resources_watched', { kind: 'ConfigMap' }).length,
          0,
          'kinds no longer watched disappear',
        );
        assert.ok(
          find(samples, 'process_cpu_user_seconds_total').length > 0,
          'Node default metrics are exported',
        );
      });

      it('answers unknown paths and wrong methods with JSON errors', async () => {
        const missing = await call(f.healthUrl, 'GET', '/nope');
        assert.equal(missing.status, 404);
        const wrong = await call(f.healthUrl, 'POST', '/health');
        assert.equal(wrong.status, 405);
        assert.match(errorOf(wrong), /POST not allowed/);
      });
    });

    describe('GET /api/v1/drift-records', () => {
      it('lists every record with the total count', async () => {
        const a = await api('GET', '/api/v1/drift-records');
        assert.equal(a.status, 200);
        assert.deepEqual(
          ids(a),
          expected(() => true),
        );
        assert.equal(count(a), RECORDS.length);
        const web = records(a).find((r) => r.resource_id === 'Deployment:shop:web');
        assert.deepEqual(web, byId('Deployment:shop:web'), 'records come back exactly as stored');
      });

      const filters: [string, (r: DriftRecord) => boolean][] = [
        ['namespace=shop', (r) => r.namespace === 'shop'],
        ['drift_detected=true', (r) => r.drift_detected],
        ['drift_detected=false', (r) => !r.drift_detected],
        ['kind=Deployment', (r) => r.kind === 'Deployment'],
        ['severity=high', (r) => r.severity === 'high'],
        ['type=SecretChange', (r) => r.drift_type === 'SecretChange'],
        ['namespace=billing&drift_detected=true', (r) => r.namespace === 'billing' && r.drift_detected],
        ['namespace=nowhere', () => false],
      ];
      for (const [query, filter] of filters) {
        it(`filters by ${query}`, async () => {
          const a = await api('GET', `/api/v1/drift-records?${query}`);
          assert.equal(a.status, 200);
          assert.deepEqual(ids(a), expected(filter));
          assert.equal(count(a), expected(filter).length);
        });
      }

      it('pages with limit and offset; count stays the total', async () => {
        const seen: string[] = [];
        for (let offset = 0; offset < RECORDS.length; offset += 4) {
          const a = await api('GET', `/api/v1/drift-records?limit=4&offset=${offset}`);
          assert.equal(a.status, 200);
          assert.equal(count(a), RECORDS.length);
          assert.equal(records(a).length, Math.min(4, RECORDS.length - offset));
          seen.push(...ids(a));
        }
        assert.deepEqual(
          seen.sort(),
          expected(() => true),
          'pages cover every record once',
        );
        const beyond = await api('GET', '/api/v1/drift-records?offset=100');
        assert.deepEqual(records(beyond), []);
        assert.equal(count(beyond), RECORDS.length);
      });

      it('lists active drifts at /active, with the same filters', async () => {
        const a = await api('GET', '/api/v1/drift-records/active');
        assert.equal(a.status, 200);
        assert.deepEqual(
          ids(a),
          expected((r) => r.drift_status === 'active'),
        );
        const shop = await api('GET', '/api/v1/drift-records/active?namespace=shop&limit=1');
        assert.equal(count(shop), 2);
        assert.equal(records(shop).length, 1);
        assert.equal(records(shop)[0]?.namespace, 'shop');
      });

      it('lists resolved drifts at /resolved', async () => {
        const a = await api('GET', '/api/v1/drift-records/resolved');
        assert.equal(a.status, 200);
        assert.deepEqual(ids(a), ['ConfigMap:shop:settings']);
        assert.equal(count(a), 1);
        const none = await api('GET', '/api/v1/drift-records/resolved?kind=Deployment');
        assert.equal(count(none), 0);
      });
    });

    describe('GET /api/v1/drift-records/:resourceId', () => {
      it('returns one record by its URL-encoded id', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}`);
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, byId('Deployment:shop:web'));
      });

      it('accepts the id with literal colons too', async () => {
        const a = await api('GET', '/api/v1/drift-records/Deployment:shop:api');
        assert.equal(a.status, 200);
        assert.equal((a.body as DriftRecord).resource_id, 'Deployment:shop:api');
      });

      it('returns a cluster-scoped record (Kind::name)', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('Namespace::shop')}`);
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, byId('Namespace::shop'));
      });

      it('reads a name with ":" as the name (ids split from the left): 404, not malformed', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('ClusterRole::acme:reader')}`);
        assert.equal(a.status, 404);
        assert.match(errorOf(a), /ClusterRole::acme:reader/);
      });

      it('answers 404 for an unknown resource', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:ghost')}`);
        assert.equal(a.status, 404);
        assert.match(errorOf(a), /Deployment:shop:ghost/);
      });

      for (const bad of [
        'web',
        'Deployment:shop',
        'Deployment:Shop:web',
        'Deployment:shop:web/x',
        ':shop:web',
        'Deployment:shop:',
      ]) {
        it(`answers 400 for the malformed id ${JSON.stringify(bad)}`, async () => {
          const a = await api('GET', `/api/v1/drift-records/${enc(bad)}`);
          assert.equal(a.status, 400);
          assert.match(errorOf(a), /malformed resource id/);
        });
      }
    });

    describe('GET /api/v1/drift-records/:resourceId/history', () => {
      it('returns the transitions newest first', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('ConfigMap:shop:settings')}/history`);
        assert.equal(a.status, 200);
        const body = a.body as {
          resource_id: string;
          events: { event: string; time: string }[];
          count: number;
        };
        assert.equal(body.resource_id, 'ConfigMap:shop:settings');
        assert.deepEqual(
          body.events.map((e) => e.event),
          ['resolved', 'detected'],
        );
        assert.equal(body.count, 2);
        const expectedEvents = EVENTS.filter((e) => e.resource_id === 'ConfigMap:shop:settings').reverse();
        assert.deepEqual(body.events, expectedEvents);
      });

      it('honours limit', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}/history?limit=1`);
        const body = a.body as { events: { event: string }[]; count: number };
        assert.deepEqual(
          body.events.map((e) => e.event),
          ['updated'],
        );
        assert.equal(body.count, 1);
      });

      it('answers an empty history for a tracked record that never drifted', async () => {
        const a = await api('GET', `/api/v1/drift-records/${enc('Service:billing:gateway')}/history`);
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, { resource_id: 'Service:billing:gateway', events: [], count: 0 });
      });

      it('answers 404 for an unknown resource and 400 for a malformed id or limit', async () => {
        assert.equal(
          (await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:ghost')}/history`)).status,
          404,
        );
        assert.equal((await api('GET', '/api/v1/drift-records/nonsense/history')).status, 400);
        assert.equal(
          (await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}/history?limit=abc`)).status,
          400,
        );
      });
    });

    describe('GET /api/v1/statistics', () => {
      it('aggregates every record and the last analysis', async () => {
        await f.store.saveLastAnalysis({
          started_at: '2026-01-01T10:00:00.000Z',
          finished_at: '2026-01-01T10:00:02.500Z',
          duration_seconds: 2.5,
          resources: RECORDS.length,
          git_commit: 'abc1234',
        });
        const a = await api('GET', '/api/v1/statistics');
        assert.equal(a.status, 200);
        const s = (a.body as { statistics: Record<string, unknown> }).statistics;
        assert.equal(s['total_resources'], RECORDS.length);
        assert.equal(s['active_drifts'], 3);
        assert.equal(s['resolved_drifts'], 1);
        assert.deepEqual(s['by_severity'], { high: 1, medium: 1, low: 1 });
        assert.deepEqual(s['by_namespace'], { shop: 2, billing: 1 });
        // (3 + 2 + 1) / 3 / 6 tracked resources
        assert.equal(s['drift_score'], Math.round(((3 + 2 + 1) / 3 / RECORDS.length) * 10_000) / 10_000);
        assert.equal((s['last_analysis'] as { git_commit: string }).git_commit, 'abc1234');
        assert.ok(Array.isArray(s['trend']) && s['trend'].length > 0, 'trend covers the last day');
      });
    });

    describe('GET /api/v1/rules', () => {
      it('lists every rule with its match count (the default field-manager rule included)', async () => {
        const a = await api('GET', '/api/v1/rules');
        assert.equal(a.status, 200);
        const body = a.body as {
          rules: { id: string; origin: string; matched_fields: number }[];
          count: number;
        };
        assert.equal(body.count, body.rules.length);
        const managers = body.rules.find((r) => r.id === 'ignore_managers[0]');
        assert.equal(managers?.origin, 'default');
        assert.ok(body.rules.every((r) => Number.isInteger(r.matched_fields) && r.matched_fields >= 0));
      });

      it('refuses query parameters', async () => {
        const a = await api('GET', '/api/v1/rules?origin=config');
        assert.equal(a.status, 400);
      });
    });

    describe('analyses', () => {
      it('POST /api/v1/analyze starts an analysis; a second trigger joins it', async (t) => {
        const control = needControl(t);
        if (!control) return;
        const first = await api('POST', '/api/v1/analyze');
        assert.equal(first.status, 202);
        const body = first.body as { message: string; status: string; analysis_id: string };
        assert.equal(body.message, 'Analysis triggered');
        assert.equal(body.status, 'started');
        assert.equal(first.headers.get('location'), `/api/v1/analyses/${body.analysis_id}`);
        const second = await api('POST', '/api/v1/analyze', {
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(second.status, 202);
        assert.equal(
          (second.body as { analysis_id: string }).analysis_id,
          body.analysis_id,
          'joins the running analysis',
        );

        const running = await api('GET', `/api/v1/analyses/${body.analysis_id}`);
        assert.equal(running.status, 200);
        assert.equal((running.body as { status: string }).status, 'running');

        control.finish({ resources: 6, drifted: 3, detected: 1, resolved: 1 });
        const done = await api('GET', `/api/v1/analyses/${body.analysis_id}`);
        assert.equal((done.body as { status: string; drifted: number }).status, 'completed');
        assert.equal((done.body as { drifted: number }).drifted, 3);

        const next = await api('POST', '/api/v1/analyze');
        assert.notEqual(
          (next.body as { analysis_id: string }).analysis_id,
          body.analysis_id,
          'a finished analysis is not joined',
        );
        control.finish({ status: 'failed', error: 'git fetch failed' });
      });

      it('GET /api/v1/analyses/:id answers 404 for an unknown id and 400 for a malformed one', async () => {
        const unknown = await api('GET', '/api/v1/analyses/no-such-analysis');
        assert.equal(unknown.status, 404);
        const malformed = await api('GET', `/api/v1/analyses/${enc('a b$')}`);
        assert.equal(malformed.status, 400);
      });

      it('POST /api/v1/analyze refuses bodies over the limit with 413, declared or chunked', async () => {
        const big = JSON.stringify({ pad: 'x'.repeat(f.bodyLimitBytes) });
        const declared = await api('POST', '/api/v1/analyze', {
          body: big,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(declared.status, 413);
        assert.match(errorOf(declared), /exceeds the limit/);
        const third = Math.ceil(f.bodyLimitBytes / 2);
        const chunked = await postChunked(f.apiUrl, '/api/v1/analyze', [
          '{"pad":"',
          'y'.repeat(third),
          'y'.repeat(third),
          '"}',
        ]);
        assert.equal(chunked.status, 413);
      });

      it('POST /api/v1/analyze refuses a body that is not an empty JSON object', async () => {
        for (const body of ['not json', '[1]', '{"trigger":"periodic"}']) {
          const a = await api('POST', '/api/v1/analyze', {
            body,
            headers: { 'content-type': 'application/json' },
          });
          assert.equal(a.status, 400, body);
        }
      });

      it('GET /api/v1/version answers the agent version', async () => {
        const a = await api('GET', '/api/v1/version');
        assert.equal(a.status, 200);
        assert.equal(typeof (a.body as { version: string }).version, 'string');
      });
    });

    describe('bad input', () => {
      const bad = [
        'drift_detected=maybe',
        'limit=-1',
        'limit=abc',
        'limit=0',
        'limit=1001',
        'limit=1.5',
        'offset=-3',
        'severity=urgent',
        'type=Everything',
        'kind=Deploy%20ment',
        'namespace=Shop',
        'namespace=shop&namespace=billing',
        'unknown=1',
        'namespace[$ne]=x',
        'namespace=%7B%22%24ne%22%3Anull%7D',
        'drift_detected[$exists]=true',
        'kind[$regex]=.*',
        'drift_status=active',
      ];
      for (const query of bad) {
        it(`answers 400 for ?${query}`, async () => {
          for (const path of ['/api/v1/drift-records', '/api/v1/drift-records/active']) {
            const a = await api('GET', `${path}?${query}`);
            assert.equal(a.status, 400, `${path}?${query}`);
            assert.ok(errorOf(a).length > 0);
          }
        });
      }

      it('answers 400 for query parameters on endpoints that take none', async () => {
        assert.equal((await api('GET', '/api/v1/statistics?x=1')).status, 400);
        assert.equal(
          (await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}?namespace[$ne]=x`)).status,
          400,
        );
      });

      it('answers unknown routes with 404 JSON and wrong methods with 405 JSON', async () => {
        const missing = await api('GET', '/api/v1/nothing-here');
        assert.equal(missing.status, 404);
        assert.match(errorOf(missing), /no route/);
        const wrong = await api('DELETE', '/api/v1/drift-records');
        assert.equal(wrong.status, 405);
        assert.match(errorOf(wrong), /DELETE not allowed/);
        assert.equal(wrong.headers.get('allow')?.includes('GET'), true);
        assert.equal((await api('GET', '/api/v1/analyze')).status, 405);
        assert.equal((await api('PUT', `/api/v1/drift-records/${enc('Deployment:shop:web')}`)).status, 405);
        const unknownMethod = await api('PROPFIND', '/api/v1/drift-records');
        assert.equal(unknownMethod.status, 405);
        const options = await fetch(`${f.apiUrl}/api/v1/drift-records`, { method: 'OPTIONS' });
        assert.equal(options.status, 204);
        assert.match(options.headers.get('allow') ?? '', /GET/);
      });

      it('the injection attempts changed nothing', async () => {
        const a = await api('GET', '/api/v1/drift-records');
        assert.deepEqual(
          ids(a),
          expected(() => true),
        );
      });
    });

    describe('metrics after requests and drift transitions', () => {
      it('exports drift events, gauges and sync durations with their labels', async (t) => {
        if (!f.metrics) return t.skip('needs the in-process metrics object');
        // As the scheduler does after an analysis that detected one drift and resolved another.
        f.metrics.driftEvent('detected', 'Scaling', 'high', 'Deployment');
        f.metrics.driftEvent('resolved', 'ConfigMapChange', 'medium', 'ConfigMap');
        f.metrics.setDriftState({ high: 1, medium: 1, low: 1 }, 0.3333);
        f.metrics.observeSync('manual', 0.2);
        const samples = parseMetrics((await health('/metrics')).text);
        const detected = find(samples, 'driftguard_drift_events_total', {
          type: 'Scaling',
          severity: 'high',
          kind: 'Deployment',
          event: 'detected',
        });
        assert.equal(detected[0]?.value, 1);
        const resolved = find(samples, 'driftguard_drift_events_total', {
          type: 'ConfigMapChange',
          severity: 'medium',
          kind: 'ConfigMap',
          event: 'resolved',
        });
        assert.equal(resolved[0]?.value, 1);
        assert.equal(find(samples, 'driftguard_drift_score')[0]?.value, 0.3333);
        assert.deepEqual(
          find(samples, 'driftguard_active_drifts')
            .map((s) => [s.labels['severity'], s.value])
            .sort(),
          [
            ['high', 1],
            ['low', 1],
            ['medium', 1],
          ],
        );
        assert.equal(
          find(samples, 'driftguard_sync_duration_seconds_count', { trigger: 'manual' })[0]?.value,
          1,
        );
      });

      it('labels API request durations with the route pattern, never the raw path', async () => {
        await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}`);
        await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:ghost')}`);
        await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}/history`);
        await api('GET', '/api/v1/drift-records/active');
        await api('GET', '/api/v1/no/such/path');
        const samples = parseMetrics((await health('/metrics')).text);
        const counts = find(samples, 'driftguard_api_request_duration_seconds_count');
        const routes = new Set(counts.map((s) => s.labels['route']));
        for (const route of [
          '/api/v1/drift-records/:resourceId',
          '/api/v1/drift-records/:resourceId/history',
          '/api/v1/drift-records/active',
          'unmatched',
        ]) {
          assert.ok(routes.has(route), `route label ${route} present (have ${[...routes].join(', ')})`);
        }
        for (const route of routes)
          assert.doesNotMatch(route ?? '', /shop|ghost|Deployment/, 'no raw path in labels');
        const one = find(samples, 'driftguard_api_request_duration_seconds_count', {
          method: 'GET',
          route: '/api/v1/drift-records/:resourceId',
          status: '200',
        });
        assert.ok((one[0]?.value ?? 0) >= 1);
        const notFound = find(samples, 'driftguard_api_request_duration_seconds_count', {
          method: 'GET',
          route: '/api/v1/drift-records/:resourceId',
          status: '404',
        });
        assert.ok((notFound[0]?.value ?? 0) >= 1, 'a 404 of a matched route keeps its pattern');
        const unmatched = find(samples, 'driftguard_api_request_duration_seconds_count', {
          route: 'unmatched',
          status: '404',
        });
        assert.ok((unmatched[0]?.value ?? 0) >= 1);
      });
    });

    // Last: it breaks the store for good.
    describe('store outage', () => {
      it('answers 503 with a clear message, and keeps serving', async (t) => {
        if (!f.breakStore) return t.skip('the fixture cannot break its store');
        // What the agent's own copy (ResilientStore) may still answer during the outage: exactly this.
        const fromCopy = ['/api/v1/drift-records', '/api/v1/drift-records/active', '/api/v1/statistics'];
        const upBodies = new Map<string, unknown>();
        for (const path of fromCopy) upBodies.set(path, withoutTrend((await api('GET', path)).body));
        await f.breakStore();
        const paths = [...fromCopy, `/api/v1/drift-records/${enc('Deployment:shop:web')}/history`];
        for (const path of paths) {
          const a = await api('GET', path);
          if (f.servesCachedRecords && a.status === 200 && upBodies.has(path)) {
            assert.deepEqual(withoutTrend(a.body), upBodies.get(path), `${path} from the agent's copy`);
            continue;
          }
          assert.equal(a.status, 503, path);
          assert.match(errorOf(a), /unavailable|timed out/);
        }
        const one = await api('GET', `/api/v1/drift-records/${enc('Deployment:shop:web')}`);
        if (f.servesCachedRecords && one.status === 200)
          assert.deepEqual(one.body, byId('Deployment:shop:web'), 'a cached record is the stored one');
        else assert.equal(one.status, 503);
        const stillUp = await health('/health');
        assert.equal(stillUp.status, 200);
        const validated = await api('GET', '/api/v1/drift-records?limit=abc');
        assert.equal(validated.status, 400, 'input is still validated before the store is asked');
      });
    });
  });
}
