// The API server is the oracle for defaults: each row is a manifest that leaves fields out (or
// spells them the way people do); applied client-side, server-side and with `kubectl create`, the
// object read back must carry the default the row names (so the default is real, in kube-apiserver
// v1.37.2) and the engine must see no drift; with the row's normaliser removed, it must drift (so
// that rule is what covers it). shared/engine/normalize/DEFAULTS.md points at these rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  analyzeResource,
  crdSchemas,
  defaultEngineOptions,
  NORMALIZERS,
  normalizePair,
  parseManifests,
} from '../../shared/engine/index.ts';
import { diffObjects } from '../../shared/engine/diff.ts';
import type { JsonObject, JsonValue, KubeObject } from '../../shared/types.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { DEFAULT_ROWS, type DefaultRow } from './defaults-rows.ts';

/** `a.b.0.c` in a JSON value. */
function at(v: JsonValue | undefined, path: string): JsonValue | undefined {
  let cur = v;
  for (const p of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (cur !== null && typeof cur === 'object') cur = cur[p];
    else return undefined;
  }
  return cur;
}

const MODES = [
  { name: 'csa', args: ['apply', '-f', '-'] },
  { name: 'ssa', args: ['apply', '--server-side', '-f', '-'] },
  { name: 'create', args: ['create', '-f', '-'] },
] as const;

function manifest(row: DefaultRow, mode: string): KubeObject {
  const o = structuredClone(row.object) as KubeObject;
  // Cluster-scoped objects get a name per mode; namespaced ones a namespace per mode.
  if (row.clusterScoped) o.metadata['name'] = `${String(o.metadata['name'])}-${mode}`;
  else o.metadata['namespace'] = `oracle-${mode}`;
  return o;
}

describe('server defaults, proven against kube-apiserver', () => {
  let plane: ControlPlane;
  const live = new Map<string, KubeObject>();
  const crdList: JsonObject[] = [];
  before(async () => {
    plane = await startControlPlane();
    const crds = DEFAULT_ROWS.filter((r) => r.object.kind === 'CustomResourceDefinition');
    // CRDs first (names per mode would change the group, so one CRD serves every mode's resource).
    for (const r of crds) {
      await plane.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(r.object) });
      await plane.kubectlOk([
        'wait',
        '--for=condition=Established',
        `crd/${String(r.object.metadata['name'])}`,
      ]);
    }
    for (const m of MODES) {
      await plane.kubectlOk(['create', 'namespace', `oracle-${m.name}`]);
      const items = DEFAULT_ROWS.filter((r) => r.object.kind !== 'CustomResourceDefinition').map((r) =>
        manifest(r, m.name),
      );
      await plane.kubectlOk([...m.args], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
      });
      for (const r of DEFAULT_ROWS) {
        const o = r.object.kind === 'CustomResourceDefinition' ? r.object : manifest(r, m.name);
        const ns = typeof o.metadata['namespace'] === 'string' ? ['-n', o.metadata['namespace']] : [];
        const got = JSON.parse(
          await plane.kubectlOk([
            'get',
            `${r.resource}/${String(o.metadata['name'])}`,
            ...ns,
            '-o',
            'json',
            '--show-managed-fields',
          ]),
        ) as KubeObject;
        live.set(`${m.name}/${r.name}`, got);
        if (got.kind === 'CustomResourceDefinition' && m.name === 'csa') crdList.push(got);
      }
    }
  });
  after(async () => {
    await plane?.stop();
  });

  for (const row of DEFAULT_ROWS) {
    it(row.name, () => {
      const needed = new Set<string>();
      const opts = defaultEngineOptions({ crdSchemas: crdSchemas(crdList) });
      for (const m of MODES) {
        const l = live.get(`${m.name}/${row.name}`);
        assert.ok(l, `${m.name}: read back`);
        const source = row.object.kind === 'CustomResourceDefinition' ? row.object : manifest(row, m.name);
        const parsed = parseManifests([{ path: 'row.json', content: JSON.stringify(source) }], {
          defaultNamespace: 'default',
        });
        const desired = parsed.objects[0];
        assert.ok(desired, `${m.name}: parsed ${JSON.stringify(parsed.errors)}`);
        for (const [path, value] of Object.entries(row.defaults)) {
          assert.deepEqual(at(l, path), value, `${m.name}: the server sets ${path}`);
          assert.notDeepEqual(at(desired.object, path), value, `${m.name}: Git leaves ${path} to the server`);
        }
        const r = analyzeResource(desired, l, opts, { gitCommit: null });
        assert.deepEqual(r.drift_details, [], `${m.name}: no drift`);
        const without = NORMALIZERS.filter((n) => n.name !== row.rule);
        assert.notEqual(without.length, NORMALIZERS.length, `rule ${row.rule} exists`);
        const n = normalizePair(desired.object, l, opts, without);
        // Server-side apply leaves defaults unowned (the ownership rule would hide them anyway).
        if (diffObjects(n.desired, n.live as KubeObject).length > 0) needed.add(m.name);
      }
      assert.ok(
        needed.size > 0,
        `without ${row.rule} the row would still be in sync: the rule is not what covers it`,
      );
    });
  }
});
