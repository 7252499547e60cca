// ConfigMap drift: data values are shown (they are not secret) and typed ConfigMapChange.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { analyzeResource } from './analyze.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';
import { liveObjects, readText, TESTDATA } from '../../test/engine/testdata/fixtures.ts';

it('ConfigMap data changed by kubectl edit is ConfigMapChange with values shown', () => {
  const dir = join(TESTDATA, 'config-in-sync');
  const opts = defaultEngineOptions();
  const desired = parseManifests(
    [{ path: 'config.yaml', content: readText(join(dir, 'desired.yaml')) }],
    opts,
  ).objects.find((o) => o.id === 'ConfigMap:demo:app-config');
  const live = liveObjects(join(dir, 'live.yaml')).find(
    (o) => o.metadata['name'] === 'app-config',
  ) as KubeObject;
  assert.ok(desired);
  (live['data'] as JsonObject)['LOG_LEVEL'] = 'debug';
  (live.metadata['managedFields'] as JsonObject[]).push({
    manager: 'kubectl-edit',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-22T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { 'f:LOG_LEVEL': {} } },
  });
  const r = analyzeResource(desired, live, opts, { gitCommit: null });
  assert.equal(r.drift_type, 'ConfigMapChange');
  assert.equal(r.severity, 'medium');
  assert.deepEqual(
    r.drift_details.map((d) => [d.path, d.desired, d.live, d.manager, d.changed_at]),
    [['data.LOG_LEVEL', 'info', 'debug', 'kubectl-edit', '2026-11-22T10:00:00Z']],
  );
});
