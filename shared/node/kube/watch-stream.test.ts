// The watch transport: its line splitting (pure), and against a real kube-apiserver the events of a
// watch, a refused watch as the server's own error, the end of an idle watch and an abort. The
// agent's watches on it (watch-list and paged lists, 410 and relists) are agent/kube/*watch*.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../../test/cluster/control-plane.ts';
import { loadKubeConfig } from './config.ts';
import { KubeApiError } from './rest.ts';
import { LineSplitter, openWatch } from './watch-stream.ts';

describe('LineSplitter', () => {
  const text = '{"type":"ADDED","object":{"a":"é"}}\n{"type":"BOOKMARK"}\n\n{"type":"DELETED"}\nlast';
  const bytes = Buffer.from(text, 'utf8');

  it('gives the same lines however the bytes are cut into chunks (inside a character too)', () => {
    const want = text.split('\n');
    for (let a = 0; a <= bytes.length; a++)
      for (let b = a; b <= bytes.length; b += 7) {
        const got: string[] = [];
        const s = new LineSplitter();
        for (const chunk of [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)])
          s.push(chunk, (l) => got.push(l));
        s.end((l) => got.push(l));
        assert.deepEqual(got, want, `cut at ${a} and ${b}`);
      }
  });

  it('has nothing left after a final newline', () => {
    const got: string[] = [];
    const s = new LineSplitter();
    s.push(Buffer.from('x\n'), (l) => got.push(l));
    s.end((l) => got.push(l));
    assert.deepEqual(got, ['x']);
  });
});

describe('openWatch against kube-apiserver', () => {
  let plane: ControlPlane;
  const NS = 'watch-stream';
  before(async () => {
    plane = await startControlPlane();
    await plane.kubectlOk(['create', 'namespace', NS]);
  });
  after(async () => plane?.stop());

  it('delivers the events of a watch-list, then single changes; abort ends it once', async () => {
    await plane.kubectlOk(['create', 'configmap', 'one', '-n', NS, '--from-literal=k=v']);
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    const events: { type: string; name: unknown }[] = [];
    const ends: (Error | null)[] = [];
    let initialEnd: () => void = () => undefined;
    const initial = new Promise<void>((resolve) => (initialEnd = resolve));
    const req = await openWatch(
      kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (type, object) => {
        const meta = (object as { metadata?: { name?: unknown; annotations?: Record<string, string> } })
          .metadata;
        if (type === 'BOOKMARK') {
          if (meta?.annotations?.['k8s.io/initial-events-end'] === 'true') initialEnd();
          return;
        }
        events.push({ type, name: meta?.name });
      },
      (err) => ends.push(err),
    );
    await initial;
    assert.deepEqual(events, [{ type: 'ADDED', name: 'one' }]);
    await plane.kubectlOk(['create', 'configmap', 'two', '-n', NS, '--from-literal=k=v']);
    for (let i = 0; i < 500 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events[1], { type: 'ADDED', name: 'two' });
    req.abort();
    req.abort();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ends.length, 1);
    assert.equal(ends[0]?.name, 'AbortError');
  });

  it('a watch the server refuses ends with its status and message', async () => {
    const kc = loadKubeConfig({ kubeconfig: plane.viewerKubeconfig });
    const ended = new Promise<Error | null>((resolve) => {
      void openWatch(kc, `/api/v1/namespaces/${NS}/secrets`, {}, () => undefined, resolve);
    });
    const err = await ended;
    assert.ok(err instanceof KubeApiError, String(err));
    assert.equal(err.status, 403);
    assert.match(err.message, /secrets is forbidden/);
  });

  it('a watch that receives nothing for its idle time ends with a TimeoutError', async () => {
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    const ended = new Promise<Error | null>((resolve) => {
      // No bookmarks asked and no change in this namespace: the stream stays silent.
      void openWatch(kc, `/api/v1/namespaces/${NS}/secrets`, {}, () => undefined, resolve, {
        idleTimeoutMs: 300,
      });
    });
    assert.equal((await ended)?.name, 'TimeoutError');
  });
});
