// The served OpenAPI is the oracle of which lists compare by key: the tables derived from a real
// kube-apiserver's /openapi/v3 equal path.ts's fallback table wherever the fallback names a list
// (the engine's deliberate differences, LIST_OVERRIDES, apply on top of both), and a list only the
// schema knows (topologySpreadConstraints, a map by topologyKey+whenUnsatisfiable) now compares by
// key on a live object read back from the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyzeResource, defaultEngineOptions, parseManifests } from '../../shared/engine/index.ts';
import type { ListTable, ListType } from '../../shared/engine/index.ts';
import { FALLBACK_LISTS, fallbackListType, type Segment } from '../../shared/engine/path.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { readListTables, type ListTablesRead } from '../../shared/node/kube/openapi-lists.ts';
import type { KubeObject } from '../../shared/types.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';

/** The built-in kinds whose lists the fallback table was written for (pod templates and Services). */
const KINDS: readonly [string, string][] = [
  ['v1', 'Pod'],
  ['v1', 'PodTemplate'],
  ['v1', 'ReplicationController'],
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
];

/** `a.b[].c` back into segments (a list item as a key segment, as the walk passes them). */
function segsOf(pattern: string): Segment[] {
  return pattern.split('.').flatMap((part) => {
    const field = part.replace(/\[\]/g, '');
    const items = (part.length - field.length) / 2;
    return [{ field }, ...Array.from({ length: items }, () => ({ key: {}, label: '' }))];
  });
}

const show = (t: ListType | undefined): string => (t ? `${t.type}(${t.keys.join(',')})` : 'unmarked');

describe('list tables from the served OpenAPI', () => {
  let plane: SharedCluster;
  let read: ListTablesRead;
  before(async () => {
    plane = await sharedCluster(import.meta.url);
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    read = await readListTables(
      kc,
      KINDS.map(([v]) => v),
    );
  });
  after(async () => {
    await plane?.stop();
  });

  it('reads the index and one document per group-version in play', () => {
    assert.deepEqual(read.problems, []);
    assert.equal(read.requests, 1 + new Set(KINDS.map(([v]) => v)).size);
    for (const [v, k] of KINDS) assert.ok(read.tables.has(`${v}/${k}`), `${v}/${k} has a table`);
  });

  it('a group-version the server does not serve, or a server that does not answer, keeps the fallback and says so', async () => {
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    const partial = await readListTables(kc, ['apps/v1', 'nothere.example.com/v1']);
    assert.ok(partial.tables.has('apps/v1/Deployment'));
    assert.deepEqual(partial.problems, [
      'nothere.example.com/v1 is not in /openapi/v3: its kinds compare lists by the built-in table',
    ]);
    // The same credentials against a port nothing listens on (the plane's own, stopped, is not needed).
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: 'https://127.0.0.1:1' }));
    const none = await readListTables(kc, ['apps/v1']);
    assert.equal(none.tables.size, 0);
    assert.equal(none.problems.length, 1);
    assert.match(
      none.problems[0] ?? '',
      /^cannot read \/openapi\/v3 \(.+\): apps\/v1 compare lists by the built-in table$/,
    );
  });

  it('equals the fallback table wherever the fallback names a list', () => {
    const differ: string[] = [];
    const unknown = new Set<string>();
    const named = new Set<string>();
    for (const [v, k] of KINDS) {
      const table = read.tables.get(`${v}/${k}`) as ListTable;
      for (const [pattern, served] of Object.entries(table)) {
        const fallback = fallbackListType(segsOf(pattern), k);
        const field = pattern.slice(pattern.lastIndexOf('.') + 1);
        if (!fallback) {
          if (served.type === 'map') unknown.add(`${field}: ${show(served)}`);
          continue;
        }
        named.add(field);
        if (show(fallback) !== show(served))
          differ.push(`${k} ${pattern}: served ${show(served)}, fallback ${show(fallback)}`);
      }
    }
    assert.deepEqual(differ, []);
    // Every list the fallback names is one the served schema marks somewhere in these kinds.
    assert.deepEqual(
      Object.keys(FALLBACK_LISTS).filter((f) => !named.has(f)),
      [],
    );
    // What only the schema knows (maps the fallback would compare whole or by name), for the report.
    console.log(`maps only the served schema knows: ${[...unknown].sort().join('; ')}`);
    assert.ok(unknown.has('topologySpreadConstraints: map(topologyKey,whenUnsatisfiable)'));
  });

  it('compares a list only the schema marks as a map by its keys', async () => {
    const ns = plane.namespace;
    const spread = (key: string, skew: number): object => ({
      maxSkew: skew,
      topologyKey: key,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'spread' } },
    });
    const deployment = (constraints: object[]): object => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'spread', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'spread' } },
        template: {
          metadata: { labels: { app: 'spread' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.27' }],
            topologySpreadConstraints: constraints,
          },
        },
      },
    });
    const git = deployment([spread('zone', 1), spread('host', 1)]);
    await plane.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(git) });
    const opts = defaultEngineOptions({ defaultNamespace: ns });
    const desired = parseManifests([{ path: 'spread.yaml', content: JSON.stringify(git) }], opts).objects[0];
    assert.ok(desired);
    const verdict = async (served: boolean): Promise<string[]> => {
      const live = JSON.parse(
        await plane.kubectlOk(['get', 'deployment', 'spread', '-n', ns, '-o', 'json']),
      ) as KubeObject;
      const engine = served ? { ...opts, listTables: read.tables } : opts;
      return analyzeResource(desired, live, engine, { gitCommit: null }).drift_details.map((d) => d.path);
    };
    // Reordered by hand (a replace keeps the order it is given): the same constraints, no drift.
    await plane.kubectlOk(['replace', '-f', '-'], {
      input: JSON.stringify(deployment([spread('host', 1), spread('zone', 1)])),
    });
    assert.deepEqual(await verdict(true), []);
    // The fallback compares the list whole: the reordering reads as a change (what this fixes).
    assert.deepEqual(await verdict(false), ['spec.template.spec.topologySpreadConstraints']);
    // An edit is named by the item's keys.
    await plane.kubectlOk(['replace', '-f', '-'], {
      input: JSON.stringify(deployment([spread('host', 1), spread('zone', 3)])),
    });
    assert.deepEqual(await verdict(true), [
      'spec.template.spec.topologySpreadConstraints[topologyKey=zone,whenUnsatisfiable=ScheduleAnyway].maxSkew',
    ]);
  });
});
