// The published document itself: it is what the declarations generate, every registered route is
// documented (and nothing else), every $ref resolves, and the checker the API suite relies on does
// reject non-conforming answers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type Koa from 'koa';
import { createApiApp, createHealthApp } from '../../agent/api/index.ts';
import { openApiYaml } from '../../agent/api/openapi/document.ts';
import { AgentMetrics } from '../../agent/metrics.ts';
import { SqliteStore } from '../../agent/store/sqlite.ts';
import { TestControl } from './control.ts';
import { RECORDS } from './fixtures.ts';
import { OpenApiDoc } from './openapi.ts';

interface RouterLike {
  stack: { path: string | RegExp; methods: string[] }[];
}

/** `GET /api/v1/drift-records/{resourceId}` for each route the app's router registered. */
function registeredRoutes(app: Koa): string[] {
  const out: string[] = [];
  for (const mw of app.middleware) {
    const router = Reflect.get(mw, 'router') as RouterLike | undefined;
    for (const layer of router?.stack ?? []) {
      const path = String(layer.path).replace(/:([A-Za-z]+)/g, '{$1}');
      for (const m of layer.methods.filter((x) => x !== 'HEAD')) out.push(`${m} ${path}`);
    }
  }
  return out;
}

function documentedRoutes(doc: OpenApiDoc): string[] {
  const paths = doc.doc['paths'] as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
}

describe('OpenAPI document', () => {
  const doc = new OpenApiDoc();

  it('is what the zod declarations generate (agent/api/openapi.yaml is not stale)', () => {
    const file = readFileSync(new URL('../../agent/api/openapi.yaml', import.meta.url), 'utf8');
    assert.ok(file === openApiYaml(), 'agent/api/openapi.yaml is stale: run `npm run openapi`');
  });

  it('documents exactly the routes the API and health apps register', () => {
    const deps = {
      store: new SqliteStore({ path: ':memory:' }),
      control: new TestControl(),
      metrics: new AgentMetrics(),
    };
    // /health and /ready are on both listeners; the document lists each path once.
    const registered = [
      ...new Set([
        ...registeredRoutes(
          createApiApp({ ...deps, limits: { bodyLimitBytes: 1024, requestTimeoutMs: 1000 } }),
        ),
        ...registeredRoutes(createHealthApp(deps)),
      ]),
    ].sort();
    assert.ok(registered.length >= 12, `found the routers (${registered.join(', ')})`);
    assert.deepEqual(documentedRoutes(doc).sort(), registered);
  });

  it('resolves every $ref', () => {
    const all = refs(doc.doc);
    assert.ok(all.length > 20);
    for (const ref of all) assert.doesNotThrow(() => doc.checker.resolve(ref), ref);
  });

  it('accepts a real record and rejects broken ones', () => {
    const schema = { $ref: '#/components/schemas/DriftRecord' };
    const good = RECORDS[0];
    assert.deepEqual(doc.checker.check(schema, good), []);
    const { resolution_message: _dropped, ...missing } = { ...good };
    assert.match(doc.checker.check(schema, missing).join('\n'), /missing required 'resolution_message'/);
    assert.match(doc.checker.check(schema, { ...good, extra: 1 }).join('\n'), /unexpected property 'extra'/);
    assert.match(
      doc.checker.check(schema, { ...good, severity: 'urgent' }).join('\n'),
      /matches none of anyOf/,
    );
    assert.match(
      doc.checker.check(schema, { ...good, last_checked: 'yesterday' }).join('\n'),
      /not an RFC 3339 date-time/,
    );
    assert.match(doc.checker.check(schema, { ...good, drift_detected: null }).join('\n'), /expected boolean/);
  });

  it('checks answers by path, method and status', () => {
    const list = { drift_records: RECORDS, count: RECORDS.length };
    assert.deepEqual(
      doc.check('GET', '/api/v1/drift-records/active?limit=1', 200, 'application/json', list),
      [],
    );
    assert.match(
      doc.check('GET', '/api/v1/drift-records', 200, 'application/json', { drift_records: RECORDS }).join(),
      /missing required 'count'/,
    );
    assert.match(
      doc.check('GET', '/api/v1/statistics', 418, 'application/json', { error: 'x' }).join(),
      /status not documented/,
    );
    assert.match(doc.check('GET', '/nowhere', 404, 'text/plain', 'Not Found').join(), /not JSON/);
    assert.match(
      doc.check('GET', '/api/v1/drift-records', 400, 'application/json', { message: 'x' }).join(),
      /missing required 'error'/,
    );
  });
});
