// Secret values (plain, base64, old or new) never appear in a DriftResult, whatever changed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { analyzeAll, analyzeResource } from './analyze.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';
import { isSecretValuePath, REDACTED, saltedHash } from './secrets.ts';
import { summarizeDetail } from './summary.ts';
import { liveObjects, readText, TESTDATA } from '../../test/engine/testdata/fixtures.ts';

const dir = join(TESTDATA, 'config-in-sync');
const opts = defaultEngineOptions();
const desired = parseManifests(
  [{ path: 'secrets.yaml', content: readText(join(dir, 'desired.yaml')) }],
  opts,
).objects;
const dbDesired = desired.find((d) => d.id === 'Secret:demo:db-credentials');
const baseLive = liveObjects(join(dir, 'live.yaml')).find(
  (o) => o.metadata['name'] === 'db-credentials',
) as KubeObject;
const b64 = (s: string) => Buffer.from(s).toString('base64');

const PLAIN = ['demo-password-change-me', 'demo', 'hunter2-new-password', 'sneaky-extra-value'];

function assertNoLeak(json: string): void {
  for (const v of PLAIN) {
    if (v === 'demo') {
      // 'demo' is also the namespace; check it never appears as a value of a data field.
      assert.doesNotMatch(json, /"(desired|live)":"demo"/);
    } else assert.ok(!json.includes(v), `plain value ${v} leaked`);
    assert.ok(!json.includes(b64(v)), `base64 of ${v} leaked`);
  }
}

describe('Secret values never leak', () => {
  it('changed, added and removed keys are reported with redacted values', () => {
    assert.ok(dbDesired);
    const live = structuredClone(baseLive);
    live['data'] = { password: b64('hunter2-new-password'), extra: b64('sneaky-extra-value') };
    (live.metadata['managedFields'] as JsonObject[]).push({
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      manager: 'kubectl-edit',
      operation: 'Update',
      time: '2026-11-22T08:00:00Z',
      fieldsV1: { 'f:data': { 'f:password': {}, 'f:extra': {} } },
    });
    const r = analyzeResource(dbDesired, live, opts, { gitCommit: null });
    assert.equal(r.drift_type, 'SecretChange');
    assert.equal(r.severity, 'high');
    const got = r.drift_details.map((d) => [d.path, d.type, d.severity, d.desired, d.live, d.manager]);
    assert.deepEqual(
      got.sort(),
      [
        ['data.extra', 'SecretChange', 'high', null, REDACTED, 'kubectl-edit'],
        ['data.password', 'SecretChange', 'high', REDACTED, REDACTED, 'kubectl-edit'],
        ['data.username', 'SecretChange', 'high', REDACTED, null, 'kubectl-client-side-apply'],
      ].sort(),
    );
    assert.deepEqual(r.drift_details.map(summarizeDetail).sort(), [
      'data.extra added',
      'data.password changed',
      'data.username removed',
    ]);
    const json = JSON.stringify(r);
    assertNoLeak(json);
    assert.ok(
      !json.includes(saltedHash(opts.secretSalt, b64('hunter2-new-password'))),
      'salted hashes stay internal too',
    );
  });

  it('the last-applied annotation (which holds stringData in plain text) never reaches the result', () => {
    assert.ok(dbDesired);
    const live = structuredClone(baseLive);
    (live['data'] as JsonObject)['password'] = b64('hunter2-new-password');
    const results = analyzeAll(desired, [live], opts, { gitCommit: null });
    assertNoLeak(JSON.stringify(results));
  });

  it('a Secret that is missing, or fully in sync, leaks nothing either', () => {
    assert.ok(dbDesired);
    assertNoLeak(JSON.stringify(analyzeResource(dbDesired, undefined, opts, { gitCommit: null })));
    const r = analyzeResource(dbDesired, baseLive, opts, { gitCommit: null });
    assert.equal(r.drift_detected, false);
    assertNoLeak(JSON.stringify(r));
  });

  it('hashes depend on the salt, and equal values hash equal', () => {
    assert.ok(dbDesired);
    const a = analyzeResource(dbDesired, baseLive, opts, { gitCommit: null });
    const b = analyzeResource(dbDesired, baseLive, defaultEngineOptions({ secretSalt: 'other' }), {
      gitCommit: null,
    });
    assert.equal(a.desired_hash, a.live_hash);
    assert.notEqual(a.desired_hash, b.desired_hash);
    assert.equal(saltedHash('s', 'v'), saltedHash('s', 'v'));
    assert.notEqual(saltedHash('s', 'v'), saltedHash('t', 'v'));
  });

  it('line-wrapped base64 of the same bytes is the same value', () => {
    assert.ok(dbDesired);
    const live = structuredClone(baseLive);
    const pw = b64('demo-password-change-me');
    (live['data'] as JsonObject)['password'] = `${pw.slice(0, 10)}\n${pw.slice(10)}`;
    assert.equal(analyzeResource(dbDesired, live, opts, { gitCommit: null }).drift_detected, false);
  });

  it('env values are shown (only Secret data is secret)', () => {
    const d = parseManifests(
      [
        {
          path: 'p.yaml',
          content:
            'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x:1\n    env: [{name: MODE, value: fast}]\n',
        },
      ],
      opts,
    ).objects[0];
    assert.ok(d);
    const live = structuredClone(d.object);
    (
      (((live['spec'] as JsonObject)['containers'] as JsonObject[])[0] as JsonObject)['env'] as JsonObject[]
    )[0] = { name: 'MODE', value: 'slow' };
    const r = analyzeResource(d, live, opts, { gitCommit: null });
    assert.deepEqual(
      r.drift_details.map((x) => [x.path, x.desired, x.live]),
      [['spec.containers[name=a].env[name=MODE].value', 'fast', 'slow']],
    );
  });
});

describe('isSecretValuePath (the one rule the engine and the plugin share)', () => {
  const cases: [string, string, boolean][] = [
    ['Secret', 'data', true],
    ['Secret', 'data.password', true],
    ['Secret', 'stringData.token', true],
    ['Secret', 'binaryData[key]', true],
    ['Secret', 'dataset', false],
    ['Secret', 'data-x', false],
    ['Secret', 'metadata.labels.data', false],
    ['Secret', 'type', false],
    ['ConfigMap', 'data.password', false],
  ];
  for (const [kind, path, expected] of cases) {
    it(`${kind} ${path}: ${expected}`, () => assert.equal(isSecretValuePath(kind, path), expected));
  }
});
