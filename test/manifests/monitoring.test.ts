// The monitoring overlay: its ServiceMonitor and PrometheusRule are accepted by a real API server
// carrying the Prometheus Operator's published CRDs (vendored under testdata/, so their schemas
// validate the objects in a server-side dry run); its rules pass `promtool check rules`, and
// `promtool test rules` fires each alert from series shaped like the agent's metrics; every metric
// the rules, the dashboard and those series name is one the agent exports, with its labels.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { AgentMetrics } from '../../agent/metrics.ts';
import { binaries } from '../cluster/binaries.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { MANIFESTS, build, find, type ManifestDoc } from './kustomize.ts';

const OVERLAY = join(MANIFESTS, 'overlays', 'monitoring');
const CRDS = join(import.meta.dirname, 'testdata', 'prometheus-operator-crds');
const PROMTOOL_TESTS = join(import.meta.dirname, 'alerts.promtool.yaml');
/** Labels a ServiceMonitor scrape adds to every series, besides the agent's own. */
const TARGET_LABELS = ['namespace', 'pod', 'service', 'job', 'instance', 'container', 'endpoint'];
/** Series Prometheus makes itself. */
const PROMETHEUS_SERIES = new Set(['up']);
/** PromQL's functions and operators, which look like metric names in an expression. */
const PROMQL = new Set([
  'max',
  'min',
  'sum',
  'increase',
  'rate',
  'unless',
  'and',
  'or',
  'time',
  'histogram_quantile',
]);

type Rule = { alert?: string; record?: string; expr: string };
type RuleDoc = ManifestDoc & { spec: { groups: { name: string; rules: Rule[] }[] } };

/** Metric names the agent exports, each with its label names (histograms as their three series). */
async function exported(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const metrics = new AgentMetrics();
  // Touch every labelled metric once so getMetricsAsJSON lists its labels.
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const labels = new Set<string>();
    const own = (metrics.registry.getSingleMetric(m.name) as unknown as { labelNames?: string[] }).labelNames;
    for (const l of own ?? []) labels.add(l);
    if (String(m.type) === 'histogram') {
      out.set(`${m.name}_bucket`, new Set([...labels, 'le']));
      out.set(`${m.name}_sum`, labels);
      out.set(`${m.name}_count`, labels);
    } else out.set(m.name, labels);
  }
  return out;
}

function metricNames(expr: string): string[] {
  const names = expr
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g);
  return (names ?? []).filter((n) => !PROMQL.has(n));
}

describe('monitoring overlay', () => {
  let plane: ControlPlane;
  let docs: ManifestDoc[];
  let dir: string;
  let rules: RuleDoc;
  before(async () => {
    docs = await build(OVERLAY);
    rules = find(docs, 'PrometheusRule', 'driftguard-agent') as RuleDoc;
    dir = mkdtempSync(join(tmpdir(), 'driftguard-promtool-'));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rules.spec.groups }));
    copyFileSync(PROMTOOL_TESTS, join(dir, 'alerts.promtool.yaml'));
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const promtool = (args: string[]) => {
    return promisify(execFile)(binaries().promtool, args, { cwd: dir });
  };

  it('is accepted by the API server with the Prometheus Operator CRDs installed', async () => {
    await plane.kubectlOk(['apply', '--server-side', '-f', CRDS]);
    await plane.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', '-f', CRDS]);
    await plane.kubectlOk(['apply', '-f', join(MANIFESTS, 'base', 'namespace.yaml')]);
    const out = await plane.kubectlOk(['apply', '-k', OVERLAY, '--dry-run=server']);
    assert.match(out, /servicemonitor\.monitoring\.coreos\.com\/driftguard-agent created \(server dry run\)/);
    assert.match(out, /prometheusrule\.monitoring\.coreos\.com\/driftguard-agent created \(server dry run\)/);
    assert.match(out, /configmap\/driftguard-dashboard created \(server dry run\)/);
    // The schema really is checked: a ServiceMonitor with a misspelt field is refused.
    const bad = find(docs, 'ServiceMonitor', 'driftguard-agent') as ManifestDoc & {
      spec: Record<string, unknown>;
    };
    const wrong = { ...bad, spec: { ...bad.spec, endpoint: bad.spec['endpoints'] } };
    const r = await plane.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: JSON.stringify(wrong) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "spec\.endpoint"/);
  });

  it('promtool check rules accepts the rules', async () => {
    const { stdout } = await promtool(['check', 'rules', 'rules.yaml']);
    assert.match(stdout, /SUCCESS: \d+ rules found/);
  });

  it('promtool test rules fires every alert from agent-shaped series', async () => {
    const { stdout, stderr } = await promtool(['test', 'rules', 'alerts.promtool.yaml']).catch(
      (err: { stdout?: string; stderr?: string }) => {
        throw new Error(`promtool test rules failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      },
    );
    assert.match(stdout + stderr, /SUCCESS/);
    const tests = parse(readFileSync(PROMTOOL_TESTS, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
      ),
    );
    const alerts = rules.spec.groups.flatMap((g) => g.rules.map((r) => r.alert ?? ''));
    assert.deepEqual([...fired].sort(), [...alerts].sort(), 'each alert has a test that fires it');
  });

  it('names only metrics the agent exports, with their labels', async () => {
    const known = await exported();
    const where: [string, string][] = [];
    for (const g of rules.spec.groups) for (const r of g.rules) where.push([`rule ${r.alert ?? ''}`, r.expr]);
    const dashboard = JSON.parse(
      (find(docs, 'ConfigMap', 'driftguard-dashboard') as ManifestDoc & { data: Record<string, string> })
        .data['driftguard.json'] ?? '{}',
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
      templating: { list: { query?: unknown }[] };
    };
    for (const p of dashboard.panels) for (const t of p.targets) where.push([`panel ${p.title}`, t.expr]);
    assert.ok(dashboard.panels.length >= 6);
    for (const [what, expr] of where) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${what}: no metric in ${expr}`);
      for (const n of names)
        assert.ok(known.has(n) || PROMETHEUS_SERIES.has(n), `${what}: ${n} is not exported`);
    }
    // The promtool series: exported names, and only the agent's labels plus target labels.
    const tests = parse(readFileSync(PROMTOOL_TESTS, 'utf8')) as {
      tests: { input_series: { series: string }[] }[];
    };
    for (const s of tests.tests.flatMap((t) => t.input_series)) {
      const m = /^([a-z_:]+)\{(.*)\}$/.exec(s.series);
      assert.ok(m?.[1] && m[2] !== undefined, s.series);
      if (PROMETHEUS_SERIES.has(m[1])) continue;
      const labels = known.get(m[1]);
      assert.ok(labels, `${m[1]} is not exported`);
      for (const pair of m[2].split(',')) {
        const label = pair.split('=')[0] ?? '';
        assert.ok(labels.has(label) || TARGET_LABELS.includes(label), `${m[1]} has no label ${label}`);
      }
    }
  });
});
