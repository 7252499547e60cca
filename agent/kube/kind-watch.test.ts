// The initial state of a watch, against real API servers: streamed with watch-list where the
// server has it on (kube-apiserver's default), listed in pages where it is off (the WatchList
// feature gate disabled), with the same live state either way: every object in, later changes as
// single events, and an object deleted while no watch ran dropped by the next initial state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../test/cluster/control-plane.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { createLogger } from '../log.ts';
import { KindWatch } from './kind-watch.ts';
import type { KindInfo } from './kinds.ts';
import { LiveState, type LiveChange } from './live-state.ts';

const NS = 'stream-test';
const CONFIGMAP: KindInfo = {
  kind: 'ConfigMap',
  group: '',
  version: 'v1',
  plural: 'configmaps',
  namespaced: true,
  key: 'ConfigMap',
  alsoVersions: [],
  served: ['v1'],
};

const configMaps = (names: string[]) =>
  names
    .map(
      (n) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${n}, namespace: ${NS} }\ndata: { value: "${n}" }\n`,
    )
    .join('---\n');

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function suite(title: string, apiServerArgs: string[], mode: 'watch-list' | 'paged-list'): void {
  describe(title, () => {
    let plane: ControlPlane;
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      { level: 'info', format: 'json' },
      { write: (t) => lines.push(JSON.parse(t) as Record<string, unknown>) },
    );
    const state = new LiveState();
    const changes: LiveChange[] = [];
    state.onChange((c) => changes.push(c));
    const watchOf = () =>
      new KindWatch({
        kc: loadKubeConfig({ kubeconfig: plane.kubeconfig }),
        info: CONFIGMAP,
        namespace: NS,
        excludeNamespaces: [],
        state,
        log,
        watchdogMs: 60_000,
        onSynced: () => undefined,
        // Small pages, so the paged list really pages (5 objects, 3 pages).
        pageSize: 2,
      });
    let watch: KindWatch | undefined;

    before(async () => {
      plane = await startControlPlane({ apiServerArgs });
      await plane.kubectlOk(['create', 'namespace', NS]);
      await plane.kubectlOk(['apply', '-f', '-'], { input: configMaps(['a', 'b', 'c', 'd', 'e']) });
    });
    after(async () => {
      await watch?.stop();
      await plane?.stop();
    });

    it(`loads the initial state (${mode}) before start() resolves, and says how`, async () => {
      watch = watchOf();
      await watch.start();
      assert.equal(watch.synced, true);
      assert.equal(watch.initialMode, mode);
      for (const n of ['a', 'b', 'c', 'd', 'e'])
        assert.equal(
          (state.get(`ConfigMap:${NS}:${n}`)?.['data'] as Record<string, string> | undefined)?.['value'],
          n,
          `ConfigMap ${n} in the live state`,
        );
      const synced = lines.find((l) => l['event'] === 'watch_synced');
      assert.equal(synced?.['initial'], mode);
      assert.equal(synced?.['objects'], 5);
      assert.equal(changes.length, 0, 'the initial state is not announced object by object');
      assert.equal(
        lines.some((l) => l['event'] === 'watch_list_unsupported'),
        mode === 'paged-list',
      );
    });

    it('then delivers changes as single events', async () => {
      await plane.kubectlOk(['apply', '-f', '-'], { input: configMaps(['f']) });
      await until('add of f', () => changes.find((c) => c.id === `ConfigMap:${NS}:f` && c.change === 'add'));
      await plane.kubectlOk(['delete', 'configmap', 'a', '-n', NS]);
      await until('delete of a', () =>
        changes.find((c) => c.id === `ConfigMap:${NS}:a` && c.change === 'delete'),
      );
      assert.equal(state.get(`ConfigMap:${NS}:a`), undefined);
    });

    it('a fresh initial state drops what was deleted while no watch ran', async () => {
      await watch?.stop();
      await plane.kubectlOk(['delete', 'configmap', 'b', '-n', NS]);
      assert.ok(state.get(`ConfigMap:${NS}:b`), 'still held: no watch saw the delete');
      watch = watchOf();
      await watch.start();
      assert.equal(state.get(`ConfigMap:${NS}:b`), undefined);
      assert.ok(state.get(`ConfigMap:${NS}:f`));
    });
  });
}

suite('watch-list on (the server default)', [], 'watch-list');
suite('watch-list off (WatchList feature gate disabled)', ['--feature-gates=WatchList=false'], 'paged-list');
