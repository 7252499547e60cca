import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIVE, record } from '../../../test/ui/stand-in-client.ts';
import { matchesFilter, namespaceChoices, nextSort, sortRecords, visibleRecords } from './list.ts';

const ids = (rs: { resource_id: string }[]): string[] => rs.map((r) => r.resource_id);

test('the filter matches resource id, drift type or manager, ignoring case', () => {
  const [web, api, settings] = ACTIVE;
  assert.ok(web && api && settings);
  assert.equal(matchesFilter(web, 'deployment:shop'), true);
  assert.equal(matchesFilter(api, 'versionchange'), true);
  assert.equal(matchesFilter(settings, 'KUBECTL-EDIT'), true);
  assert.equal(matchesFilter(settings, 'kubectl-scale'), false);
  assert.equal(matchesFilter(settings, '   '), true);
});

test('sorts by severity (worst first), age (newest first) and namespace, ties by id', () => {
  assert.deepEqual(ids(sortRecords(ACTIVE, 'severity')), [
    'Deployment:shop:api',
    'Deployment:shop:web',
    'ConfigMap:billing:settings',
  ]);
  assert.deepEqual(ids(sortRecords(ACTIVE, 'age')), [
    'Deployment:shop:api',
    'ConfigMap:billing:settings',
    'Deployment:shop:web',
  ]);
  assert.deepEqual(ids(sortRecords(ACTIVE, 'namespace')), [
    'ConfigMap:billing:settings',
    'Deployment:shop:api',
    'Deployment:shop:web',
  ]);
});

test('sort cycles severity → age → namespace → severity', () => {
  assert.equal(nextSort('severity'), 'age');
  assert.equal(nextSort('age'), 'namespace');
  assert.equal(nextSort('namespace'), 'severity');
});

test('visible records apply namespace, then filter, then sort', () => {
  assert.deepEqual(ids(visibleRecords(ACTIVE, { namespace: 'shop', filter: '', sort: 'severity' })), [
    'Deployment:shop:api',
    'Deployment:shop:web',
  ]);
  assert.deepEqual(ids(visibleRecords(ACTIVE, { namespace: 'shop', filter: 'scale', sort: 'severity' })), [
    'Deployment:shop:web',
  ]);
  assert.deepEqual(ids(visibleRecords(ACTIVE, { namespace: 'billing', filter: 'scale', sort: 'age' })), []);
});

test('namespace choices: all first, then sorted namespaces, keeping the current one', () => {
  const cluster = record('ClusterRole', '', 'view');
  assert.deepEqual(namespaceChoices([...ACTIVE, cluster], null), [null, '', 'billing', 'shop']);
  assert.deepEqual(namespaceChoices(ACTIVE, 'gone'), [null, 'billing', 'gone', 'shop']);
});
