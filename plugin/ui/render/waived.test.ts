// The waived view's rows: the waiver (owner, time left) in the manager's place, a record without one
// still says it is waived, and the columns keep their widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIVE, WAIVED, WAIVERS } from '../../../test/ui/stand-in-client.ts';
import { waiverOrder, waiverRow } from './waiver-row.ts';
import { formatCells, layoutColumns } from './columns.ts';
import { DRIFT_COLUMNS, WAIVED_COLUMNS, columnsFor, driftRow, waiverText } from './drift-row.ts';

const NOW = Date.parse('2026-01-01T01:00:00Z');

test('a waived row says until when and by whom, where an active row names the manager', () => {
  const [cache] = WAIVED;
  const [web] = ACTIVE;
  assert.ok(cache && web);
  assert.deepEqual(driftRow(cache, NOW), [
    'medium',
    'shop',
    'Deployment/cache',
    'Scaling',
    'by alice, 7d left',
    '59m',
  ]);
  assert.equal(driftRow(web, NOW)[4], 'kubectl-scale');
});

test('the time left counts down to expired, and a waived record sent without its waiver still reads as waived', () => {
  const [cache] = WAIVED;
  assert.ok(cache);
  assert.equal(waiverText({ ...cache, waiver: null }, NOW), 'waived');
  assert.equal(waiverText(cache, Date.parse('2026-01-08T10:00:00Z')), 'by alice, 2m left');
  assert.equal(waiverText(cache, Date.parse('2026-01-09T00:00:00Z')), 'by alice, expired');
});

test('the waived view has a WAIVER column instead of MANAGER, and still fills the width exactly', () => {
  assert.equal(columnsFor('active'), DRIFT_COLUMNS);
  assert.equal(columnsFor('resolved'), DRIFT_COLUMNS);
  const names = columnsFor('waived').map((c) => c.name);
  assert.deepEqual(names, ['SEV', 'NAMESPACE', 'RESOURCE', 'TYPE', 'WAIVER', 'AGE']);
  for (const width of [120, 80]) {
    const widths = layoutColumns(WAIVED_COLUMNS, width);
    assert.equal(formatCells(names, widths, WAIVED_COLUMNS).length, width);
  }
  const [cache] = WAIVED;
  assert.ok(cache);
  const line = formatCells(driftRow(cache, NOW), layoutColumns(WAIVED_COLUMNS, 80), WAIVED_COLUMNS);
  assert.match(line, /by alice, 7d left/, 'the waiver fits an 80-column screen whole');
});

test('a waiver row has the columns of kubectl driftguard waivers; in force first, soonest to end first', () => {
  const [w] = WAIVERS;
  assert.ok(w);
  const field = { ...w, id: 'w-2bbbbbbb', scope: { ...w.scope, field: 'spec.replicas' } };
  assert.deepEqual(waiverRow(field, NOW), [
    'w-2bbbbb',
    'active',
    'alice',
    'Deployment/shop/cache spec.replicas',
    'in 73y',
    'load test until Friday',
  ]);
  const ended = { ...w, id: 'ended', state: 'expired' as const, expires_at: '2025-01-01T00:00:00.000Z' };
  const sooner = { ...w, id: 'sooner', expires_at: '2026-02-01T00:00:00.000Z' };
  assert.deepEqual(
    waiverOrder([ended, w, sooner]).map((x) => x.id),
    ['sooner', w.id, 'ended'],
  );
});
