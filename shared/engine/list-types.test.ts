// Order from the schema: a custom resource's lists compare as its CRD declares them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../types.ts';
import { analyzeResource } from './analyze.ts';
import { crdSchemas } from './crd-schema.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'pipelines.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Pipeline', plural: 'pipelines' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  // No list type: atomic, as for every list of a structural schema.
                  steps: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { name: { type: 'string' }, run: { type: 'string' } },
                    },
                  },
                  ports: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['port'],
                    items: {
                      type: 'object',
                      properties: { port: { type: 'integer' }, name: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const pipeline = (steps: string[], ports: number[]): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Pipeline',
  metadata: {
    name: 'build',
    namespace: 'ci',
    managedFields: [
      { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:steps': {}, 'f:ports': {} } } },
    ],
  },
  spec: {
    steps: steps.map((name) => ({ name, run: `make ${name}` })),
    ports: ports.map((port) => ({ port, name: `p${port}` })),
  },
});

function analyze(live: KubeObject, withSchema: boolean) {
  const opts = defaultEngineOptions(withSchema ? { crdSchemas: crdSchemas([CRD]) } : {});
  const d = parseManifests(
    [{ path: 'p.json', content: JSON.stringify(pipeline(['test', 'build'], [80, 443])) }],
    opts,
  ).objects[0];
  assert.ok(d);
  return analyzeResource(d, live, opts, { gitCommit: null });
}

describe('list order from the CRD schema', () => {
  it('a reordered atomic list of named items is found, as one change of the list', () => {
    const r = analyze(pipeline(['build', 'test'], [80, 443]), true);
    assert.equal(r.drift_detected, true);
    assert.deepEqual(
      r.drift_details.map((x) => x.path),
      ['spec.steps'],
    );
  });
  it('an item of an atomic list changed reads by its name', () => {
    const live = pipeline(['test', 'build'], [80, 443]);
    const steps = (live['spec'] as { steps: { run: string }[] }).steps;
    (steps[1] as { run: string }).run = 'make all';
    const r = analyze(live, true);
    assert.deepEqual(
      r.drift_details.map((x) => x.path),
      ['spec.steps[name=build].run'],
    );
  });
  it('a map list is matched by its declared keys: reordering it is no change', () => {
    assert.equal(analyze(pipeline(['test', 'build'], [443, 80]), true).drift_detected, false);
  });
  it('without the schema (CRDs not readable) the built-in rule applies: named items by name, any order', () => {
    assert.equal(analyze(pipeline(['build', 'test'], [80, 443]), false).drift_detected, false);
  });
});
