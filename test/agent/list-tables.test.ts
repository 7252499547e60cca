// The agent's cluster facts carry the built-in kinds' list tables from the served OpenAPI
// (ClusterFacts.learnLists): the engine options have them, the same ones while the documents are
// unchanged, and a group-version the server cannot give is logged once, the rest still learned.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterFacts } from '../../agent/kube/cluster-facts.ts';
import type { KindInfo } from '../../agent/kube/kinds.ts';
import { createLogger } from '../../agent/log.ts';
import { defaultEngineOptions } from '../../shared/engine/index.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { sharedCluster, type SharedCluster } from '../kit/shared-cluster.ts';

const kind = (k: string, group: string, version: string): KindInfo => ({
  kind: k,
  group,
  version,
  plural: `${k.toLowerCase()}s`,
  namespaced: true,
  key: group === '' ? k : `${k}.${group}`,
  alsoVersions: [],
  served: [version],
});

describe('agent cluster facts: list tables', () => {
  let plane: SharedCluster;
  let facts: ClusterFacts;
  const lines: string[] = [];
  before(async () => {
    plane = await sharedCluster(import.meta.url);
    const kc = loadKubeConfig({ kubeconfig: plane.kubeconfig });
    facts = new ClusterFacts(
      kc,
      createLogger({ level: 'warn', format: 'json' }, { write: (t) => lines.push(t) }),
    );
    await facts.learn(new Discovery(kc));
  });
  after(async () => {
    await facts?.stop();
    await plane?.stop();
  });

  it('learns the tables of the watched built-in kinds; a missing group is logged once', async () => {
    const kinds = [kind('Deployment', 'apps', 'v1'), kind('Gadget', 'nothere.example.com', 'v1')];
    const base = defaultEngineOptions();
    assert.equal(facts.engineOptions(base).listTables, undefined);
    await facts.learnLists(kinds);
    const tables = facts.engineOptions(base).listTables;
    assert.deepEqual(tables?.get('apps/v1/Deployment')?.['spec.template.spec.topologySpreadConstraints'], {
      type: 'map',
      keys: ['topologyKey', 'whenUnsatisfiable'],
    });
    // Learned again with nothing changed: the same tables (verdict memos stay valid), no second warning.
    await facts.learnLists(kinds);
    assert.equal(facts.engineOptions(base).listTables, tables);
    const warned = lines.filter((l) => l.includes('openapi_read_failed'));
    assert.equal(warned.length, 1);
    assert.match(warned[0] ?? '', /nothere\.example\.com\/v1 is not in \/openapi\/v3/);
  });
});
