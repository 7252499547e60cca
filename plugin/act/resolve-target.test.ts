// What users type to name a record: ids (names may contain ':') and KIND/NAME.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { suggestKind } from '../kube/kinds.ts';
import { parseTarget, targetNamespace, type Target } from './resolve-target.ts';

it('names with ":" work as ids and as KIND/NAME', () => {
  assert.deepEqual(parseTarget('ClusterRole::system:controller:acme'), {
    id: 'ClusterRole::system:controller:acme',
  });
  assert.deepEqual(parseTarget('Gateway.gateway.networking.k8s.io:web:edge'), {
    id: 'Gateway.gateway.networking.k8s.io:web:edge',
  });
  assert.equal((parseTarget('clusterrole/acme:reader') as { name: string }).name, 'acme:reader');
  assert.throws(() => parseTarget('deploy/A/b'), /expected KIND\/NAME/);
  assert.throws(() => parseTarget('deploy/a/b/c'), /KIND\/NAMESPACE\/NAME as get prints it/);
});

it('accepts what get and status print, kubectl spellings and the API id alike', () => {
  assert.deepEqual(parseTarget('Deployment/demo/api'), {
    kind: 'Deployment',
    namespace: 'demo',
    name: 'api',
  });
  assert.deepEqual(parseTarget('deploy/api'), { kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseTarget('deployment.apps/api'), { kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseTarget('deployments/api'), { kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseTarget('Deployment:demo:api'), { id: 'Deployment:demo:api' });
  const t = parseTarget('Deployment/demo/api') as Target;
  assert.equal(targetNamespace(t, undefined), 'demo');
  assert.equal(targetNamespace(t, 'demo'), 'demo');
  assert.throws(() => targetNamespace(t, 'shop'), /names namespace demo, but -n says shop/);
});

it('a mistyped kind gets a "did you mean"', () => {
  assert.equal(suggestKind('deplyment'), 'Deployment');
  assert.equal(suggestKind('confgmap'), 'ConfigMap');
  assert.equal(suggestKind('svx'), 'Service');
  assert.equal(suggestKind('frobnicator'), null);
});
