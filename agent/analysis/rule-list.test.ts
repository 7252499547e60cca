// /api/v1/rules' answer from real engine verdicts: each rule's count is the sum over the objects'
// last verdicts, a rule that matches nothing shows 0, annotations are summarised by path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeResource,
  defaultEngineOptions,
  emptyHits,
  IGNORE_FIELDS_ANNOTATION,
  parseManifests,
  validateRules,
  type DesiredObject,
} from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { DesiredEntry } from '../git/desired-view.ts';
import { ruleList } from './rule-list.ts';
import { RuleTally } from './rule-tally.ts';

function configMap(
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', labels: { app: name }, ...(annotations ? { annotations } : {}) },
    data,
  };
}

const entryOf = (o: KubeObject): DesiredEntry => ({
  desired: parseManifests([{ path: `${o.metadata['name'] as string}.yaml`, content: JSON.stringify(o) }], {
    defaultNamespace: 'default',
  }).objects[0] as DesiredObject,
  commit: 'c1',
  source: 'default',
});

describe('rule list', () => {
  const { rules, errors } = validateRules({
    ignore: [
      { kind: 'ConfigMap', selector: 'app=a', path: 'data.mode' },
      { kind: 'Deployment.apps', path: 'spec.replicas' },
    ],
    ignore_catalog: ['cert-manager'],
  });
  const engine = defaultEngineOptions({ rules });
  const a = entryOf(configMap('a', { mode: 'x', level: '1' }));
  const b = entryOf(configMap('b', { mode: 'x', level: '1' }, { [IGNORE_FIELDS_ANNOTATION]: 'data.level' }));
  const c = entryOf(configMap('c', { mode: 'x' }, { [IGNORE_FIELDS_ANNOTATION]: 'data.level, data.mode' }));
  const entries = new Map([
    ['ConfigMap:shop:a', a],
    ['ConfigMap:shop:b', b],
    ['ConfigMap:shop:c', c],
  ]);
  const desired = { get: (id: string) => entries.get(id), entries: () => entries.entries() };

  it('counts what each rule matched in the objects last verdicts', () => {
    assert.deepEqual(errors, []);
    const tally = new RuleTally();
    for (const [id, e] of entries) {
      const live = structuredClone(e.desired.object);
      live.metadata['annotations'] = {};
      live['data'] = { mode: 'y', level: '2' };
      const hits = emptyHits();
      analyzeResource(e.desired, live, { ...engine, source: 'default' }, { gitCommit: null, hits });
      tally.set(id, hits);
    }
    const list = ruleList(rules, tally.totals(), desired);
    const byId = new Map(list.rules.map((r) => [r.id, r]));
    assert.equal(byId.get('ignore[0]')?.matched_fields, 1, 'data.mode of a (selector app=a)');
    assert.equal(byId.get('ignore[1]')?.matched_fields, 0, 'no Deployment: matches nothing');
    assert.equal(byId.get('ignore_managers[0]')?.origin, 'default');
    assert.equal(byId.get('catalog:cert-manager[0]')?.catalog, 'cert-manager');
    assert.equal(byId.get('catalog:cert-manager[0]')?.matched_fields, 0);
    assert.deepEqual(byId.get('annotation:data.level'), {
      id: 'annotation:data.level',
      origin: 'annotation',
      rule: { path: 'data.level' },
      // b's changed level; c's is live-only (no manager owns it): not drift, nothing to ignore.
      matched_fields: 1,
      objects: 2,
    });
    assert.equal(byId.get('annotation:data.mode')?.matched_fields, 1);
    assert.equal(list.count, list.rules.length);

    // An object analysed again with nothing ignored drops its counts.
    tally.set('ConfigMap:shop:a', emptyHits());
    assert.equal(
      ruleList(rules, tally.totals(), desired).rules.find((r) => r.id === 'ignore[0]')?.matched_fields,
      0,
    );
  });

  it('a remembered verdict stands only where the counts are known or no rule targets the object', () => {
    const tally = new RuleTally();
    assert.equal(tally.known('ConfigMap:shop:a', a, engine), false, 'ignore[0] covers a');
    assert.equal(tally.known('ConfigMap:shop:b', b, engine), false, 'b carries the annotation');
    const other = entryOf(configMap('z', { mode: 'x' }));
    assert.equal(tally.known('ConfigMap:shop:z', other, engine), true);
    tally.set('ConfigMap:shop:a', emptyHits());
    assert.equal(tally.known('ConfigMap:shop:a', a, engine), true);
    tally.retain(new Set());
    assert.equal(tally.known('ConfigMap:shop:a', a, engine), false);
  });
});
