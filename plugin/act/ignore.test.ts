import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { validateRules } from '../../shared/engine/index.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { renderIgnore } from './ignore-text.ts';
import { proposeIgnore } from './ignore.ts';

function record(name: string, details: { path: string; desired: unknown; live: unknown }[]): DriftRecord {
  return {
    resource_id: `Deployment:shop:${name}`,
    kind: 'Deployment',
    namespace: 'shop',
    name,
    api_version: 'apps/v1',
    source_file: `deploy/${name}.yaml`,
    drift_details: details.map((d) => ({
      ...d,
      type: 'Scaling',
      severity: 'medium',
      manager: 'kubectl-scale',
      changed_at: null,
    })),
  } as unknown as DriftRecord;
}

const web = record('web', [
  { path: 'spec.replicas', desired: 2, live: 5 },
  { path: 'spec.template.spec.containers[name=istio-proxy]', desired: null, live: { name: 'istio-proxy' } },
  { path: 'spec.template.spec.containers[name=web].image', desired: 'nginx:1', live: 'nginx:2' },
]);
const api = record('api', [{ path: 'spec.replicas', desired: 1, live: 3 }]);

describe('ignore: the narrowest rule from the diff', () => {
  it('names the object (kind with its group) and the field, and shows exactly what it matches now', () => {
    const p = proposeIgnore(web, 'spec.template.spec.containers[name=istio-proxy]', [web, api]);
    assert.deepEqual(p.rule, {
      kind: 'Deployment.apps',
      namespace: 'shop',
      name: 'web',
      path: 'spec.template.spec.containers[name=istio-proxy]',
    });
    assert.deepEqual(
      p.matches.map((m) => `${m.resource_id} ${m.path}`),
      ['Deployment:shop:web spec.template.spec.containers[name=istio-proxy]'],
    );
    // The config entry is YAML the agent's config takes as it is.
    const entry = parse(p.config) as unknown[];
    assert.deepEqual(entry, [p.rule]);
    assert.deepEqual(validateRules({ ignore: entry }).errors, []);
    assert.deepEqual(p.annotation, {
      key: 'driftguard.io/ignore-fields',
      value: 'spec.template.spec.containers[name=istio-proxy]',
    });
    const text = renderIgnore(p);
    assert.match(
      text,
      /^Proposed rule \(the narrowest: this object, this field\):\n {2}kind: Deployment\.apps\n {2}namespace: shop\n {2}name: web\n {2}path: /,
    );
    assert.match(text, /It would ignore now 1 drifted field:\n {2}Deployment:shop:web {2}spec\.template/);
    assert.match(
      text,
      /on the manifest \(deploy\/web\.yaml\):\n {2}metadata:\n {4}annotations:\n {6}driftguard\.io\/ignore-fields: "spec\.template/,
    );
  });

  it('a field prefix or a [*] pattern matches every field under it', () => {
    const p = proposeIgnore(web, 'spec.template.spec.containers[*]', [web, api]);
    assert.equal(p.matches.length, 2);
    assert.equal(proposeIgnore(web, 'spec', [web, api]).matches.length, 3);
  });

  it('refuses a bad path or one that covers no drifted field', () => {
    assert.throws(() => proposeIgnore(web, 'spec.containers[0]', [web]), /--field: a list index/);
    assert.throws(
      () => proposeIgnore(web, 'metadata.labels', [web]),
      /--field metadata.labels covers none of Deployment:shop:web's drifted fields \(spec.replicas, /,
    );
  });
});
