// The metrics are declared once (declared.ts): the agent registers exactly those, and the README's
// table is what the declarations generate (the OpenAPI text is checked by test/api/openapi.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AgentMetrics } from '../metrics.ts';
import { METRICS } from './declared.ts';
import {
  metricsDescription,
  metricsTable,
  README_END,
  README_START,
  series,
  withMetricsTable,
} from './docs.ts';

const declared = Object.values(METRICS);

describe('metrics declared once', () => {
  it('the agent registers every declared metric, with its type, help and labels, and no other', async () => {
    const registered = (await new AgentMetrics().registry.getMetricsAsJSON()).filter((m) =>
      m.name.startsWith('driftguard_'),
    );
    assert.deepEqual(registered.map((m) => m.name).sort(), declared.map((m) => m.name).sort());
    for (const d of declared) {
      const m = registered.find((r) => r.name === d.name);
      assert.equal(m?.type, d.type, d.name);
      assert.equal(m?.help, d.help, d.name);
    }
  });

  it("the README's metrics table is what the declarations generate (run `npm run docs`)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.ok(
      readme.includes(README_START) && readme.includes(README_END),
      'the table markers are in README.md',
    );
    assert.ok(readme === withMetricsTable(readme), 'README.md metrics table is stale: run `npm run docs`');
    for (const d of declared) assert.ok(readme.includes(`\`${series(d)}\``), d.name);
  });

  it('every doc names every metric with its labels', () => {
    for (const d of declared) {
      assert.ok(metricsTable().includes(series(d)), d.name);
      assert.ok(metricsDescription().includes(series(d)), d.name);
    }
  });

  it('names are unique and follow the Prometheus naming rules', () => {
    assert.equal(new Set(declared.map((d) => d.name)).size, declared.length);
    for (const d of declared) {
      assert.match(d.name, /^driftguard_[a-z0-9_]+$/);
      assert.equal(
        d.name.endsWith('_total'),
        d.type === 'counter',
        `${d.name}: counters and only they end in _total`,
      );
      assert.equal('buckets' in d, d.type === 'histogram', `${d.name}: buckets only on histograms`);
    }
  });
});
