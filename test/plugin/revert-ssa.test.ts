// Revert on the real API server, for the drift people make most: `kubectl scale` of a Deployment
// made by client-side apply, server-side apply and create, whose manifest also holds what the server
// spells differently (`cpu: 1` as a number, a fieldRef without apiVersion). The revert must put the
// drifted field back, own exactly it, leave every other manager's fields alone, and keep what an
// earlier revert owns when it reverts another field later.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { runPlugin, tempDir } from '../kit/plugin.ts';

let plane: Cluster;

function manifest(ns: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${ns}
  labels: {app: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
          resources:
            limits: {cpu: 1, memory: 256Mi}
            requests: {cpu: 0.5}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
          ports:
            - containerPort: 8080
`;
}

interface ManagedEntry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: unknown;
}

async function managed(ns: string): Promise<ManagedEntry[]> {
  const out = await plane.kubectlOk([
    '-n',
    ns,
    'get',
    'deployment',
    'api',
    '-o',
    'jsonpath={.metadata.managedFields}',
  ]);
  return JSON.parse(out) as ManagedEntry[];
}

async function get(ns: string, path: string): Promise<string> {
  return plane.kubectlOk(['-n', ns, 'get', 'deployment', 'api', '-o', `jsonpath={${path}}`]);
}

/** `kubectl driftguard <verb> deployment/api -n ns --local --repo repo` against this plane. */
function local(verb: string, ns: string, repo: string, extra: string[] = []): ReturnType<typeof runPlugin> {
  return runPlugin([
    verb,
    'deployment/api',
    '-n',
    ns,
    '--local',
    '--repo',
    repo,
    '--kubeconfig',
    plane.kubeconfig,
    ...extra,
  ]);
}

const revert = (ns: string, repo: string, extra: string[] = []): ReturnType<typeof runPlugin> =>
  local('revert', ns, repo, ['--yes', ...extra]);
const diffLocal = (ns: string, repo: string): ReturnType<typeof runPlugin> => local('diff', ns, repo);

const others = (entries: ManagedEntry[]): ManagedEntry[] =>
  entries
    .filter((e) => e.manager !== 'driftguard-revert' && e.subresource === undefined)
    .map(({ manager, operation, fieldsV1 }) => ({ manager, operation, fieldsV1 }))
    .sort((a, b) => a.manager.localeCompare(b.manager));

describe('revert of a kubectl scale drift on the real API server', () => {
  before(async () => {
    plane = await startCluster();
  });
  after(async () => {
    await plane?.stop();
  });

  for (const [mode, args] of [
    ['client-side apply', ['apply', '-f']],
    ['server-side apply', ['apply', '--server-side', '-f']],
    ['create', ['create', '-f']],
  ] as const) {
    it(`made by ${mode}: only spec.replicas is applied and taken over; a later image revert keeps it`, async () => {
      const ns = `revert-${mode.replace(/\W+/g, '-')}`;
      const repo = tempDir('driftguard-revert-repo-');
      writeFileSync(join(repo, 'api.yaml'), manifest(ns));
      await plane.kubectlOk(['create', 'namespace', ns]);
      await plane.kubectlOk([...args, join(repo, 'api.yaml')]);
      await plane.kubectlOk(['-n', ns, 'scale', 'deployment/api', '--replicas=5']);
      const before = others(await managed(ns));

      const r = await revert(ns, repo);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /applies only the 1 drifted field \(spec\.replicas\) as driftguard-revert and takes it over/,
      );
      assert.match(r.stdout, /deployments\.apps\/api reverted: server-side apply as driftguard-revert/);
      assert.match(r.stdout, /took over \.spec\.replicas from "kubectl" \(scale\)/);
      assert.equal(await get(ns, '.spec.replicas'), '2');

      const after = await managed(ns);
      const mine = after.filter((e) => e.manager === 'driftguard-revert');
      assert.equal(mine.length, 1);
      assert.deepEqual(
        mine[0]?.fieldsV1,
        { 'f:spec': { 'f:replicas': {} } },
        'owns exactly the drifted field',
      );
      assert.deepEqual(others(after), before, 'every other manager keeps its fields');
      const diff = await diffLocal(ns, repo);
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);

      // Another drift later: the image goes back, and the replicas the first revert owns stay.
      await plane.kubectlOk(['-n', ns, 'set', 'image', 'deployment/api', 'api=nginx:1.28']);
      const second = await revert(ns, repo);
      assert.equal(second.code, 0, second.stdout + second.stderr);
      assert.match(second.stderr, /drifted field \(spec\.template\.spec\.containers\[name=api\]\.image\)/);
      assert.equal(await get(ns, '.spec.template.spec.containers[0].image'), 'nginx:1.27');
      assert.equal(await get(ns, '.spec.replicas'), '2');
      assert.equal(await get(ns, '.spec.template.spec.containers[0].resources.limits.cpu'), '1');
      const owned = (await managed(ns)).find((e) => e.manager === 'driftguard-revert');
      assert.deepEqual(owned?.fieldsV1, {
        'f:spec': {
          'f:replicas': {},
          'f:template': {
            'f:spec': { 'f:containers': { 'k:{"name":"api"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      });
    });
  }

  it('a deleted object is created whole (cpu and fieldRef in any spelling), then in sync', async () => {
    const ns = 'revert-missing';
    const repo = tempDir('driftguard-revert-repo-');
    writeFileSync(join(repo, 'api.yaml'), manifest(ns));
    await plane.kubectlOk(['create', 'namespace', ns]);
    const r = await revert(ns, repo);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /creates Deployment:revert-missing:api as Git declares it/);
    assert.equal(
      await get(ns, '.spec.template.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion'),
      'v1',
    );
    const diff = await diffLocal(ns, repo);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });
});
