// Table of fixture pairs: testdata/<case>/desired.yaml + live.yaml (what kube-apiserver returns) and
// expected.json, a map of resource id to the expected verdict and exact drift details.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DriftResult } from '../types.ts';
import { analyzeAll } from './analyze.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';
import {
  fixtureCases,
  liveCrdSchemas,
  liveObjects,
  readText,
  TESTDATA,
} from '../../test/engine/testdata/fixtures.ts';

interface ExpectedDetail {
  path: string;
  type: string;
  severity: string;
  manager?: string | null;
  desired?: unknown;
  live?: unknown;
}
interface Expected {
  drift: boolean;
  drift_type?: string;
  severity?: string;
  details?: ExpectedDetail[];
}

describe('fixture pairs', () => {
  for (const name of fixtureCases()) {
    it(name, () => {
      const dir = join(TESTDATA, name);
      const live = liveObjects(join(dir, 'live.yaml'));
      const opts = defaultEngineOptions({ crdSchemas: liveCrdSchemas(live) });
      const parsed = parseManifests(
        [{ path: `${name}/desired.yaml`, content: readText(join(dir, 'desired.yaml')) }],
        opts,
      );
      assert.deepEqual(parsed.errors, []);
      const results = analyzeAll(parsed.objects, live, opts, { gitCommit: 'abc123' });
      const expected = JSON.parse(readText(join(dir, 'expected.json'))) as Record<string, Expected>;
      const byId = new Map<string, DriftResult>(results.map((r) => [r.resource_id, r]));
      assert.deepEqual([...byId.keys()].sort(), Object.keys(expected).sort(), 'resource ids');
      for (const [id, exp] of Object.entries(expected)) {
        const r = byId.get(id);
        assert.ok(r);
        const got = r.drift_details.map((d) => ({
          path: d.path,
          type: d.type,
          severity: d.severity,
          manager: d.manager,
          desired: d.desired,
          live: d.live,
        }));
        assert.equal(
          r.drift_detected,
          exp.drift,
          `${id} drift_detected; details: ${JSON.stringify(got, null, 1)}`,
        );
        if (!exp.drift) {
          assert.equal(r.desired_hash, r.live_hash, `${id} hashes`);
          assert.equal(r.drift_status, 'none');
          continue;
        }
        assert.equal(r.drift_type, exp.drift_type, `${id} drift_type`);
        assert.equal(r.severity, exp.severity, `${id} severity`);
        assert.notEqual(r.desired_hash, r.live_hash);
        const want = exp.details ?? [];
        assert.deepEqual(got.map((d) => d.path).sort(), want.map((d) => d.path).sort(), `${id} paths`);
        for (const w of want) {
          const g = got.find((d) => d.path === w.path);
          assert.ok(g);
          assert.equal(g.type, w.type, `${id} ${w.path} type`);
          assert.equal(g.severity, w.severity, `${id} ${w.path} severity`);
          if ('manager' in w) assert.equal(g.manager, w.manager, `${id} ${w.path} manager`);
          if ('desired' in w) assert.deepEqual(g.desired, w.desired, `${id} ${w.path} desired`);
          if ('live' in w) assert.deepEqual(g.live, w.live, `${id} ${w.path} live`);
        }
      }
    });
  }
});
