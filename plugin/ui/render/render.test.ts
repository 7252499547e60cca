import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIVE, RESOLVED, record } from '../../../test/ui/stand-in-client.ts';
import { formatCells, layoutColumns } from './columns.ts';
import { describeValue as formatValue } from '../../../shared/describe.ts';
import { recordDetailLines } from './detail.ts';
import { DRIFT_COLUMNS, columnsFor, driftRow, rowId } from './drift-row.ts';
import { sparkline } from './sparkline.ts';
import { fit, truncate } from './text.ts';

test('truncate and fit hold an exact width', () => {
  assert.equal(truncate('Deployment/web', 8), 'Deploym…');
  assert.equal(truncate('web', 8), 'web');
  assert.equal(fit('web', 5), 'web  ');
  assert.equal(fit('12m', 5, 'right'), '  12m');
  assert.equal(truncate('abc', 0), '');
});

test('columns fill the width exactly, and shrink from the right when the screen is narrow', () => {
  for (const width of [200, 80, 60]) {
    const widths = layoutColumns(DRIFT_COLUMNS, width);
    const line = formatCells(
      DRIFT_COLUMNS.map((c) => c.name),
      widths,
      DRIFT_COLUMNS,
    );
    assert.equal(line.length, width, `width ${width}: "${line}"`);
  }
  const narrow = formatCells(
    DRIFT_COLUMNS.map((c) => c.name),
    layoutColumns(DRIFT_COLUMNS, 30),
    DRIFT_COLUMNS,
  );
  assert.ok(narrow.length <= 30, narrow);
  assert.match(narrow, /^SEV/);
});

test('a drift row names severity, namespace, resource, type, manager and age', () => {
  const [web] = ACTIVE;
  assert.ok(web);
  const now = Date.parse(web.first_detected ?? '') + 12 * 60_000;
  assert.deepEqual(driftRow(web, now), [
    'medium',
    'shop',
    'Deployment/web',
    'Scaling',
    'kubectl-scale',
    '12m',
  ]);
  const [frontend] = RESOLVED;
  assert.ok(frontend);
  assert.equal(driftRow(frontend, Date.parse(frontend.resolved_at ?? '') + 5000)[5], '5s');
});

test('detail lines show each field as desired vs live and the history, never the raw record', () => {
  const [, api] = ACTIVE;
  assert.ok(api);
  const text = recordDetailLines(api, [], 80)
    .map((l) => l.text)
    .join('\n');
  assert.match(text, /spec\.template\.spec\.containers\[name=api\]\.image/);
  assert.match(text, /VersionChange · high · kubectl-set · 2026-01-01T00:05:00/);
  assert.match(text, /- desired: api:1\.0\n {2}\+ live: {4}api:1\.1-hotfix/);
  assert.match(text, /HISTORY\n {2}no events/);
  assert.doesNotMatch(text, /desired_hash|drift_details|\{"/);
  for (const l of recordDetailLines(api, null, 30)) assert.ok(l.text.length <= 30, l.text);
});

test('detail lines never show a Secret value, whatever the record holds', () => {
  const secret = record('Secret', 'shop', 'creds', {
    api_version: 'v1',
    drift_type: 'SecretChange',
    severity: 'high',
    drift_details: [
      {
        path: 'data.password',
        type: 'SecretChange',
        severity: 'high',
        desired: 'c2VjcmV0',
        live: 'bmV3',
        manager: 'kubectl-edit',
        changed_at: null,
      },
      {
        path: 'binaryData.key',
        type: 'SecretChange',
        severity: 'high',
        desired: null,
        live: 'a2V5',
        manager: 'kubectl-edit',
        changed_at: null,
      },
    ],
  });
  const text = recordDetailLines(secret, [], 80)
    .map((l) => l.text)
    .join('\n');
  assert.ok(!/c2VjcmV0|bmV3|a2V5/.test(text), text);
  assert.match(text, /data\.password\n.*\n {2}- desired: \(redacted\)\n {2}\+ live: {4}\(redacted\)/);
  assert.match(text, /binaryData\.key\n.*\n {2}- desired: null\n {2}\+ live: {4}\(redacted\)/);
});

test('values print in one line: strings bare, absent marked, objects as compact JSON', () => {
  assert.equal(formatValue('x'), 'x');
  // Absent is null (issue 10, item 7): one spelling in every view.
  assert.equal(formatValue(undefined), 'null');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue({ a: [1, 2] }), '{"a":[1,2]}');
});

test('sparkline scales to the tallest point and keeps the most recent values', () => {
  assert.equal(sparkline([0, 1, 2, 4], 10), '▁▃▅█');
  assert.equal(sparkline([9, 0, 0, 0], 3), '▁▁▁');
  assert.equal(sparkline([], 5), '');
});

test('several clusters: a CLUSTER column first, and rows told apart by cluster', () => {
  const [web] = ACTIVE;
  assert.ok(web);
  const east = { ...web, cluster: 'east' };
  const now = Date.parse(web.first_detected ?? '') + 60_000;
  assert.deepEqual(
    columnsFor('active', true).map((c) => c.name),
    ['CLUSTER', ...DRIFT_COLUMNS.map((c) => c.name)],
  );
  assert.equal(columnsFor('waived', true)[0]?.name, 'CLUSTER');
  assert.deepEqual(driftRow(east, now, true).slice(0, 3), ['east', 'medium', 'shop']);
  assert.deepEqual(driftRow(east, now), driftRow(east, now, false));
  assert.equal(rowId(east, true), 'east/Deployment:shop:web');
  assert.equal(rowId(east, false), 'Deployment:shop:web');
});
