// What users type to name a record: ids (names may contain ':') and KIND/NAME.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseTarget } from './resolve-target.ts';

it('names with ":" work as ids and as KIND/NAME', () => {
  assert.deepEqual(parseTarget('ClusterRole::system:controller:acme'), {
    id: 'ClusterRole::system:controller:acme',
  });
  assert.deepEqual(parseTarget('Gateway.gateway.networking.k8s.io:web:edge'), {
    id: 'Gateway.gateway.networking.k8s.io:web:edge',
  });
  assert.equal((parseTarget('clusterrole/acme:reader') as { name: string }).name, 'acme:reader');
  assert.throws(() => parseTarget('deploy/a/b'), /expected KIND\/NAME/);
});
