// The structural schema steps the API server applies to a custom resource: pruning and defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../types.ts';
import { applyStructuralSchema, crdSchemas, schemaFor } from './crd-schema.ts';
import { clone } from './json.ts';

const schema: JsonObject = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'fast', nullable: false },
        keep: { type: 'string', nullable: true, default: 'k' },
        tls: { type: 'object', default: {}, properties: { port: { type: 'integer', default: 443 } } },
        rules: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string', default: '/' } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string', default: 'x' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const crd: JsonObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
  },
};

describe('structural schema defaults and pruning', () => {
  it('fills defaults top-down, keeps nullable nulls, prunes undeclared fields', () => {
    const o: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', annotations: { a: 'b' } },
      spec: {
        mode: null,
        keep: null,
        rules: [{}, { path: '/x' }],
        labels: { a: null, b: 'y' },
        extra: { anything: 1 },
        typo: true,
      },
    };
    const s = schemaFor(o, crdSchemas([crd]));
    assert.ok(s);
    applyStructuralSchema(o, s);
    assert.deepEqual(o, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', annotations: { a: 'b' } },
      spec: {
        replicas: 1,
        mode: 'fast',
        keep: null,
        tls: { port: 443 },
        rules: [{ path: '/' }, { path: '/x' }],
        labels: { a: 'x', b: 'y' },
        extra: { anything: 1 },
      },
    });
  });

  it('only the named version of the CRD applies', () => {
    const o: KubeObject = { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } };
    assert.equal(schemaFor(o, crdSchemas([crd])), undefined);
    const other = clone(o);
    other.apiVersion = 'other.com/v1';
    assert.equal(schemaFor(other, crdSchemas([crd])), undefined);
  });
});
