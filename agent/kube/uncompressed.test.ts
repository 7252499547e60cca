import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { uncompressed } from './uncompressed.ts';

function tokenConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('uncompressed', () => {
  it('keeps the credentials and asks for an uncompressed answer', async () => {
    const kc = tokenConfig();
    const ctx = new RequestContext('https://127.0.0.1:6443/api/v1/configmaps?watch=true', HttpMethod.GET);
    await uncompressed(kc).applySecurityAuthentication(ctx);
    const headers = ctx.getHeaders();
    assert.equal(headers['Accept-Encoding'], 'identity');
    assert.equal(headers['Authorization'], 'Bearer secret-token');
  });

  it('reads everything else from the config it wraps, which it leaves as it was', async () => {
    const kc = tokenConfig();
    const wrapped = uncompressed(kc);
    assert.equal(wrapped.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    assert.equal(wrapped.getCurrentUser()?.token, 'secret-token');
    const ctx = new RequestContext('https://127.0.0.1:6443/api/v1/configmaps', HttpMethod.GET);
    await kc.applySecurityAuthentication(ctx);
    assert.equal(ctx.getHeaders()['Accept-Encoding'], undefined);
  });
});
