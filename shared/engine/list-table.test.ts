// Built-in kinds' list tables derived from an OpenAPI v3 document, and how the engine uses them
// beside its named overrides. The real server's documents are the oracle in
// test/engine/list-table-oracle.test.ts; this is the pure logic on a small document.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { analyzeResource } from './analyze.ts';
import { deriveListTable, listTableKey } from './list-table.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/** A cut-down apps/v1 document: a $ref, an allOf wrapping, a merge key without a list type, a cycle. */
const SCHEMAS: JsonObject = {
  Widget: {
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: 'example.io', version: 'v1', kind: 'Widget' }],
    properties: {
      metadata: {
        type: 'object',
        properties: { ownerReferences: { type: 'array', 'x-kubernetes-patch-merge-key': 'uid' } },
      },
      status: {
        type: 'object',
        properties: {
          conditions: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['type'],
          },
        },
      },
      spec: { allOf: [ref('WidgetSpec')], default: {} },
    },
  },
  WidgetSpec: {
    type: 'object',
    properties: {
      containers: {
        type: 'array',
        items: ref('Container'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      gates: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'id' },
      tolerations: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' },
      args: { type: 'array', items: { type: 'string' } },
      child: ref('WidgetSpec'),
    },
  },
  Container: {
    type: 'object',
    properties: {
      env: {
        type: 'array',
        items: { type: 'object' },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      steps: {
        type: 'array',
        items: { type: 'object' },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
    },
  },
};

describe('list tables from an OpenAPI v3 document', () => {
  it('follows $refs (also inside allOf), reads merge keys, stops at a cycle, leaves out metadata and status', () => {
    assert.deepEqual(deriveListTable(SCHEMAS, 'Widget'), {
      'spec.containers': { type: 'map', keys: ['name'] },
      'spec.containers[].env': { type: 'map', keys: ['name'] },
      'spec.containers[].steps': { type: 'map', keys: ['name'] },
      'spec.gates': { type: 'map', keys: ['id'] },
      'spec.tolerations': { type: 'atomic', keys: [] },
    });
  });

  const engine = (served: boolean) =>
    defaultEngineOptions({
      ...(served
        ? {
            listTables: new Map([
              [listTableKey('example.io/v1', 'Widget'), deriveListTable(SCHEMAS, 'Widget')],
            ]),
          }
        : {}),
    });
  const widget = (containers: JsonObject[], gates: JsonObject[]): KubeObject => ({
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec: { containers, gates },
  });
  const paths = (desired: KubeObject, live: KubeObject, served: boolean): string[] => {
    const opts = engine(served);
    const d = parseManifests([{ path: 'w.yaml', content: JSON.stringify(desired) }], opts).objects[0];
    assert.ok(d);
    return analyzeResource(d, live, opts, { gitCommit: null }).drift_details.map((x) => x.path);
  };
  const step = (name: string): JsonObject => ({ name, run: name });
  const gate = (id: string): JsonObject => ({ id });
  const c = (steps: JsonObject[], env: JsonObject[]): JsonObject => ({ name: 'web', steps, env });

  it('a map the table declares is compared by key: its reordering is no change', () => {
    const git = widget([c([step('a'), step('b')], [])], [gate('x'), gate('y')]);
    const live = widget([c([step('b'), step('a')], [])], [gate('y'), gate('x')]);
    assert.deepEqual(paths(git, live, true), []);
    // Without the table (the OpenAPI unreadable) the fallback compares the unnamed items whole.
    assert.deepEqual(paths(git, live, false), ['spec.gates']);
  });

  it('env stays ordered although the schema says map (a $(VAR) sees only the variables before it)', () => {
    const git = widget(
      [
        c(
          [],
          [
            { name: 'A', value: '1' },
            { name: 'B', value: '$(A)' },
          ],
        ),
      ],
      [],
    );
    const live = widget(
      [
        c(
          [],
          [
            { name: 'B', value: '$(A)' },
            { name: 'A', value: '1' },
          ],
        ),
      ],
      [],
    );
    assert.deepEqual(paths(git, live, true), ['spec.containers[name=web].env']);
  });

  it('without the table, named items of a list the fallback does not know are matched by name, any order', () => {
    const git = widget([c([step('a'), step('b')], [])], []);
    const live = widget([c([step('b'), step('a')], [])], []);
    assert.deepEqual(paths(git, live, false), []);
  });
});
