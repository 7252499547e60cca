// Resource ids for every kind: built-ins stay `Kind:ns:name`, other groups are `Kind.group:ns:name`,
// scope comes from discovery when given, and names with `:` survive a round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResourceId, resourceId, type KubeObject } from '../types.ts';
import { analyzeAll } from './analyze.ts';
import { kindKeyOf, objectId } from './identity.ts';
import { defaultEngineOptions } from './options.ts';
import { parseManifests } from './parse.ts';

const o = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('resource ids', () => {
  it('built-in kinds keep the bare kind; CRD and aggregated kinds carry their group', () => {
    assert.equal(kindKeyOf(o('apps/v1', 'Deployment', 'x')), 'Deployment');
    assert.equal(kindKeyOf(o('v1', 'Service', 'x')), 'Service');
    assert.equal(
      kindKeyOf(o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x')),
      'CustomResourceDefinition',
    );
    assert.equal(
      objectId(o('gateway.networking.k8s.io/v1', 'Gateway', 'edge', 'web')),
      'Gateway.gateway.networking.k8s.io:web:edge',
    );
    assert.equal(kindKeyOf(o('metrics.k8s.io/v1beta1', 'PodMetrics', 'x')), 'PodMetrics.metrics.k8s.io');
  });

  it('ids split from the left: a name may contain ":"', () => {
    const id = resourceId('ClusterRole', '', 'system:controller:acme');
    assert.deepEqual(parseResourceId(id), {
      kind: 'ClusterRole',
      namespace: '',
      name: 'system:controller:acme',
    });
    assert.deepEqual(parseResourceId('Gateway.gateway.networking.k8s.io:web:edge'), {
      kind: 'Gateway.gateway.networking.k8s.io',
      namespace: 'web',
      name: 'edge',
    });
    assert.equal(parseResourceId('Deployment:shop'), null);
    assert.equal(parseResourceId('Deployment:Shop:web'), null);
    assert.equal(parseResourceId('Deployment:shop:'), null);
    assert.equal(parseResourceId('Deployment:shop:a/b'), null);
  });

  it('two kinds of the same name in different groups do not collide', () => {
    const text = [
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge}',
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: edge}',
    ].join('\n---\n');
    const r = parseManifests([{ path: 'g.yaml', content: text }], { defaultNamespace: 'web' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.objects.map((x) => x.id),
      ['Gateway.gateway.networking.k8s.io:web:edge', 'Gateway.networking.istio.io:web:edge'],
    );
  });

  it('a cluster-scoped custom resource (from discovery) never gets a namespace', () => {
    const scopes = new Map([['ClusterIssuer.cert-manager.io', false]]);
    const text =
      'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le, namespace: x}\nspec: {}';
    const r = parseManifests([{ path: 'i.yaml', content: text }], { defaultNamespace: 'web', scopes });
    assert.equal(r.objects[0]?.id, 'ClusterIssuer.cert-manager.io::le');
    assert.equal(r.objects[0]?.object.metadata['namespace'], undefined);
    const live: KubeObject = { ...o('cert-manager.io/v1', 'ClusterIssuer', 'le'), spec: {} };
    const opts = defaultEngineOptions({ scopes });
    const [res] = analyzeAll(r.objects, [live], opts, { gitCommit: null });
    assert.equal(res?.drift_detected, false);
    assert.equal(res?.namespace, '');
  });
});
