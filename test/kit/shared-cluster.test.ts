// The shared plane's handle: each file gets its own namespace (the kubeconfig's default), its own
// temp dir and id, and stop() leaves neither the namespace nor anything in it. Both handles are on
// one plane: the servers lane's, or (run alone) one this file publishes as the lane's global setup does.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { globalSetup, globalTeardown, sharedPlaneInfo } from '../cluster/shared-plane.ts';
import { sharedCluster, type SharedCluster } from './shared-cluster.ts';

describe('shared cluster: a namespace per file', () => {
  let a: SharedCluster;
  let b: SharedCluster;
  const ownSetup = sharedPlaneInfo() === null;
  before(async () => {
    if (ownSetup) await globalSetup();
    a = await sharedCluster(import.meta.url);
    b = await sharedCluster(import.meta.url);
  });
  after(async () => {
    try {
      await a?.stop();
      await b?.stop();
    } finally {
      if (ownSetup) await globalTeardown();
    }
  });

  it('gives each handle its own namespace, id and dir, the kubeconfig defaulting to the namespace', async () => {
    assert.notEqual(a.namespace, b.namespace);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.dir, b.dir);
    assert.match(a.namespace, /^t-shared-cluster-[0-9a-f]{6}$/);
    await a.kubectlOk(['create', 'configmap', 'cfg', '--from-literal=k=v']);
    assert.equal(
      await a.kubectlOk(['get', 'configmap', 'cfg', '-o', 'jsonpath={.metadata.namespace}']),
      a.namespace,
    );
    const inB = await b.kubectl(['get', 'configmap', 'cfg']);
    assert.notEqual(inB.code, 0, 'b does not see a configmap in a');
  });

  it('refuses what a shared plane cannot do, and stop() removes the namespace and its objects', async () => {
    assert.ok(a.shared && b.shared);
    assert.throws(() => a.restartApiServer(), /startControlPlane\(\) of its own/);
    await b.kubectlOk(['create', 'configmap', 'left', '--from-literal=k=v']);
    await b.kubectlOk(['create', 'serviceaccount', 'sa']);
    const ns = b.namespace;
    await b.stop();
    assert.equal(existsSync(b.dir), false);
    const left = await a.kubectlOk([
      'get',
      'configmaps,serviceaccounts',
      '-A',
      '-o',
      'name',
      '--field-selector',
      `metadata.namespace=${ns}`,
    ]);
    assert.equal(left.trim(), '');
    assert.equal((await a.kubectlOk(['get', 'namespace', ns, '--ignore-not-found'])).trim(), '');
  });
});
