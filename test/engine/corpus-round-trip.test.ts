// No false positives on real-world manifests: every object of the shared corpus (kubernetes/examples,
// microservices-demo, podinfo, the voting app) that kube-apiserver v1.37 accepts is applied —
// client-side, server-side and with `kubectl create` — read back with its managedFields, and
// compared with the engine. Whatever the server defaulted or rewrote must not count as drift.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  analyzeResource,
  defaultEngineOptions,
  parseManifests,
  type DesiredObject,
} from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return manifestFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

/** Each corpus file in a namespace of its own, so names never collide between files. */
function loadCorpus(mode: string): { objects: DesiredObject[]; namespaces: string[] } {
  const files = manifestFiles(CORPUS).sort();
  const objects: DesiredObject[] = [];
  const namespaces: string[] = [];
  files.forEach((file, i) => {
    const ns = `${mode}-${i}`;
    const parsed = parseManifests([{ path: relative(CORPUS, file), content: readFileSync(file) }], {
      defaultNamespace: ns,
    });
    for (const o of parsed.objects) {
      if (o.object.kind === 'Namespace') continue;
      if (o.object.metadata['namespace'] !== undefined || o.id.split(':')[1] === ns) {
        o.object.metadata['namespace'] = ns;
        o.id = `${o.object.kind}:${ns}:${String(o.object.metadata['name'])}`;
      } else continue; // cluster-scoped: would collide between modes
      objects.push(o);
    }
    namespaces.push(ns);
  });
  return { objects, namespaces };
}

const KINDS =
  'deployments,services,persistentvolumeclaims,serviceaccounts,secrets,horizontalpodautoscalers,replicationcontrollers,cronjobs,statefulsets,ingresses,daemonsets,configmaps';

async function liveObjects(plane: Cluster): Promise<Map<string, KubeObject>> {
  const out = JSON.parse(
    await plane.kubectlOk(['get', KINDS, '-A', '-o', 'json', '--show-managed-fields']),
  ) as { items: KubeObject[] };
  const map = new Map<string, KubeObject>();
  for (const o of out.items)
    map.set(`${o.kind}:${String(o.metadata['namespace'])}:${String(o.metadata['name'])}`, o);
  return map;
}

describe('corpus round trip through a real API server', () => {
  let plane: Cluster;
  before(async () => {
    plane = await startCluster();
  });
  after(async () => {
    await plane?.stop();
  });

  const modes: { name: string; args: string[] }[] = [
    { name: 'csa', args: ['apply', '-f', '-'] },
    { name: 'ssa', args: ['apply', '--server-side', '-f', '-'] },
    { name: 'create', args: ['create', '-f', '-'] },
  ];
  for (const mode of modes) {
    it(`kubectl ${mode.args.slice(0, -2).join(' ')}: no drift on anything the server accepted`, async () => {
      const { objects, namespaces } = loadCorpus(mode.name);
      const nsList = {
        apiVersion: 'v1',
        kind: 'List',
        items: namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
      };
      await plane.kubectlOk(['create', '-f', '-'], { input: JSON.stringify(nsList) });
      // Some corpus objects use API versions that 1.37 no longer serves: the rest still applies.
      await plane.kubectl(mode.args, {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }),
      });
      // Compare only once the controllers have written what they write (revisions, HPA
      // corrections, EndpointSlices): that is the state a user's cluster is in.
      await plane.settle(namespaces);
      const live = await liveObjects(plane);
      const opts = defaultEngineOptions();
      let compared = 0;
      const falsePositives: string[] = [];
      for (const o of objects) {
        const l = live.get(o.id);
        if (!l) continue;
        compared++;
        const r = analyzeResource(o, l, opts, { gitCommit: null });
        if (r.drift_detected)
          falsePositives.push(`${o.id} (${o.sourceFile}): ${JSON.stringify(r.drift_details)}`);
      }
      console.log(
        `corpus ${mode.name}: ${compared} of ${objects.length} objects accepted and compared, ${falsePositives.length} reported as drift`,
      );
      assert.ok(
        compared >= objects.length * 0.8,
        `the server accepted only ${compared} of ${objects.length}`,
      );
      assert.deepEqual(falsePositives, []);
    });
  }
});
