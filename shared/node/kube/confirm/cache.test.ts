// The confirm cache: keyed by live uid@resourceVersion and the desired hash; answers stay until
// evicted (least recently used first), failures only for their TTL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../types.ts';
import { ConfirmCache, confirmKey } from './cache.ts';

const live = (uid: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', uid, resourceVersion: rv },
});
const answer = { ok: true as const, object: live('a', '1') };

describe('ConfirmCache', () => {
  it('keys on the live object version and the desired state; no key without uid or resourceVersion', () => {
    assert.equal(confirmKey(live('u1', '7'), 'sha256:d'), 'u1@7|sha256:d');
    assert.notEqual(confirmKey(live('u1', '8'), 'sha256:d'), confirmKey(live('u1', '7'), 'sha256:d'));
    assert.notEqual(confirmKey(live('u1', '7'), 'sha256:e'), confirmKey(live('u1', '7'), 'sha256:d'));
    assert.equal(confirmKey({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'sha256:d'), null);
    // With the verdict's live hash, a status-only write (a new resourceVersion) keeps the key.
    assert.equal(
      confirmKey(live('u1', '8'), 'sha256:d', 'sha256:l'),
      confirmKey(live('u1', '7'), 'sha256:d', 'sha256:l'),
    );
    assert.notEqual(
      confirmKey(live('u1', '7'), 'sha256:d', 'sha256:m'),
      confirmKey(live('u1', '7'), 'sha256:d', 'sha256:l'),
    );
    assert.notEqual(
      confirmKey(live('u2', '7'), 'sha256:d', 'sha256:l'),
      confirmKey(live('u1', '7'), 'sha256:d', 'sha256:l'),
    );
  });

  it('keeps answers, forgets failures after their TTL, evicts the least recently used', () => {
    let t = 0;
    const c = new ConfirmCache({ maxEntries: 2, failureTtlMs: 1000, now: () => t });
    c.set('a', answer);
    c.set('f', { ok: false, reason: 'timeout' });
    assert.deepEqual(c.get('f'), { ok: false, reason: 'timeout' });
    t = 1000;
    assert.equal(c.get('f'), undefined);
    c.set('b', answer);
    assert.equal(c.get('a'), answer); // a is now the most recently used
    c.set('c', answer);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), answer);
    assert.equal(c.size, 2);
  });
});
