// A GitOps controller's transforms (sources_from) with the real kustomize: an overlay over a
// kustomization (targetNamespace, namePrefix, images, a patch, common labels) renders what
// `kustomize build` of the same overlay written by hand renders; a plain directory with Flux's
// substitutions is built through a generated kustomization; the cache tells the two apart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { render, RenderCache, type Tools } from '../../shared/node/render/index.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderBinaries, renderTools } from './tools.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: \${REPLICAS:=1}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
`;
const configMap =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  cluster: "${CLUSTER}"\n';

let tools: Tools;
let repo: TestRepo;

describe('controller transforms with the real kustomize', () => {
  before(async () => {
    tools = await renderTools();
    repo = makeRepo({
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - configmap.yaml\n',
      'app/deployment.yaml': deployment,
      'app/configmap.yaml': configMap,
      'plain/deployment.yaml': deployment,
      'plain/nested/configmap.yaml': configMap,
    });
  });
  after(() => repo?.remove());

  it('renders an overlay exactly as kustomize builds the same overlay written by hand', async () => {
    const overlay = {
      namespace: 'shop',
      name_prefix: 'p-',
      images: [{ name: 'nginx', newName: 'mirror/nginx', newTag: '1.27' }],
      patches: [
        { patch: '- op: replace\n  path: /spec/replicas\n  value: 4', target: { kind: 'Deployment' } },
      ],
      labels: { team: 'a' },
    };
    const rendered = await render({
      repoDir: repo.dir,
      path: 'app',
      type: 'auto',
      namespace: 'default',
      commit: repo.head(),
      tools,
      overlay,
    });
    const hand = join(repo.dir, 'hand');
    mkdirSync(hand);
    writeFileSync(
      join(hand, 'kustomization.yaml'),
      [
        'resources: [../app]',
        'namespace: shop',
        'namePrefix: p-',
        'images: [{ name: nginx, newName: mirror/nginx, newTag: "1.27" }]',
        'patches: [{ patch: "- op: replace\\n  path: /spec/replicas\\n  value: 4", target: { kind: Deployment } }]',
        'labels: [{ pairs: { team: a }, includeSelectors: false }]',
        '',
      ].join('\n'),
    );
    const expected = parseAllDocuments(
      execFileSync(renderBinaries().kustomize, ['build', hand], { encoding: 'utf8' }),
    ).map((d) => d.toJS() as Record<string, unknown>);
    assert.equal(rendered.type, 'kustomize');
    assert.deepEqual(
      rendered.objects.map((o) => o.object).sort((a, b) => a.kind.localeCompare(b.kind)),
      expected.sort((a, b) => String(a['kind']).localeCompare(String(b['kind']))),
    );
    assert.deepEqual(rendered.objects.map((o) => o.id).sort(), [
      'ConfigMap:shop:p-settings',
      'Deployment:shop:p-web',
    ]);
  });

  it("builds a plain directory (subfolders too) with Flux's substitutions through a generated kustomization", async () => {
    const cache = new RenderCache();
    const base = {
      repoDir: repo.dir,
      path: 'plain',
      type: 'auto' as const,
      namespace: 'apps',
      commit: repo.head(),
      tools,
      cache,
    };
    const plain = await render(base);
    assert.equal(plain.type, 'directory');
    const substituted = await render({ ...base, substitute: { CLUSTER: 'east', REPLICAS: '3' } });
    assert.equal(substituted.type, 'kustomize');
    const byId = new Map(substituted.objects.map((o) => [o.id, o.object]));
    assert.deepEqual([...byId.keys()].sort(), ['ConfigMap:apps:settings', 'Deployment:apps:web']);
    assert.equal((byId.get('Deployment:apps:web')?.['spec'] as { replicas: unknown }).replicas, 3);
    assert.deepEqual(byId.get('ConfigMap:apps:settings')?.['data'], { cluster: 'east' });
    const other = await render({ ...base, substitute: { CLUSTER: 'west' } });
    assert.equal(other.cached, false, 'other variables are another render');
    assert.equal(
      (other.objects.find((o) => o.id === 'Deployment:apps:web')?.object['spec'] as { replicas: unknown })
        .replicas,
      1,
    );
  });
});
