import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  listPatch,
  overlayPlan,
  overlaySets,
  parseImage,
  patchSkeleton,
  type OverlayInput,
} from './kustomize-plan.ts';
import { parsePath } from './path-parse.ts';
import type { AdoptField } from './plan.ts';
import { editYaml } from './yaml-edit.ts';
import type { JsonValue } from '../../types.ts';

function field(path: string, from: JsonValue | null, to: JsonValue | null): AdoptField {
  return {
    path,
    segs: parsePath(path),
    value: to === null ? undefined : to,
    from,
    to,
    manager: 'kubectl-edit',
  };
}

const IMAGE = 'spec.template.spec.containers[name=web].image';
const base: OverlayInput = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  baseName: 'web',
  baseObject: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } } },
  },
  kustomization: { resources: ['../../base'], namePrefix: 'prod-' },
  fields: [],
};

describe('kustomize overlay plan', () => {
  it('splits image references as kustomize does', () => {
    assert.deepEqual(parseImage('nginx'), { name: 'nginx', tag: null, digest: null });
    assert.deepEqual(parseImage('reg:5000/team/app:1.2'), {
      name: 'reg:5000/team/app',
      tag: '1.2',
      digest: null,
    });
    assert.deepEqual(parseImage('app@sha256:abc'), { name: 'app', tag: null, digest: 'sha256:abc' });
  });
  it('puts an image in images:, a count in replicas:, the rest in a patch', () => {
    const p = overlayPlan({
      ...base,
      fields: [
        field(IMAGE, 'nginx:1.27.3', 'nginx:1.28.0'),
        field('spec.replicas', 1, 4),
        field('spec.template.spec.containers[name=web].resources.limits.memory', '256Mi', '512Mi'),
        field('spec.template.spec.containers[name=web].env[name=OLD]', { name: 'OLD', value: 'x' }, null),
        field('metadata.labels.team', 'a', null),
      ],
    });
    assert.deepEqual(
      p.placed.map((x) => x.where),
      ['images', 'replicas', 'patch', 'patch', 'patch'],
    );
    const k = editYaml(
      'resources:\n  - ../../base\nnamePrefix: prod-\n',
      { document: 0, item: null },
      'Kustomization',
      p.kustomization,
    );
    assert.equal(
      k,
      'resources:\n  - ../../base\nnamePrefix: prod-\nimages:\n  - name: nginx\n    newTag: 1.28.0\nreplicas:\n  - name: web\n    count: 4\n',
    );
    const patch = editYaml(
      patchSkeleton('apps/v1', 'Deployment', 'web'),
      { document: 0, item: null },
      'Deployment',
      p.patch,
    );
    assert.equal(
      patch,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    team: null\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources:\n            limits:\n              memory: 512Mi\n          env:\n            - name: OLD\n              $patch: delete\n',
    );
  });
  it('updates an existing images: entry, and knows the overlay sets it', () => {
    const kustomization = {
      images: [{ name: 'nginx', newTag: '1.27.9' }],
      replicas: [{ name: 'web', count: 2 }],
    };
    const input = { ...base, kustomization };
    assert.ok(overlaySets(input, field(IMAGE, '', '')));
    assert.ok(overlaySets(input, field('spec.replicas', 2, 3)));
    assert.ok(!overlaySets(base, field(IMAGE, '', '')));
    const p = overlayPlan({
      ...input,
      fields: [field(IMAGE, 'nginx:1.27.9', 'registry.local/nginx:1.28.0')],
    });
    const text =
      'images:\n  - name: nginx # pinned\n    newTag: 1.27.9\nreplicas:\n  - name: web\n    count: 2\n';
    assert.equal(
      editYaml(text, { document: 0, item: null }, 'Kustomization', p.kustomization),
      'images:\n  - name: nginx # pinned\n    newTag: 1.28.0\n    newName: registry.local/nginx\nreplicas:\n  - name: web\n    count: 2\n',
    );
  });
  it('writes an env change as the whole live list in live order (a merge would put new items first)', () => {
    const withEnv = structuredClone(base.baseObject);
    const c = (withEnv as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec
      .template.spec.containers[0]!;
    c['env'] = [
      { name: 'A', value: '1' },
      { name: 'OLD', value: 'x' },
    ];
    const liveView = structuredClone(withEnv);
    const lc = (
      liveView as typeof withEnv & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
    ).spec.template.spec.containers[0]!;
    lc['env'] = [
      { name: 'A', value: '1' },
      { name: 'NEW', value: 'y' },
    ];
    const p = overlayPlan({
      ...base,
      baseObject: withEnv,
      liveView,
      fields: [
        field('spec.template.spec.containers[name=web].env[name=NEW]', null, { name: 'NEW', value: 'y' }),
        field('spec.template.spec.containers[name=web].env[name=OLD]', { name: 'OLD', value: 'x' }, null),
      ],
    });
    assert.deepEqual(p.patch, [
      {
        segs: parsePath('spec.template.spec.containers[name=web].env'),
        value: [
          { name: 'A', value: '1' },
          { name: 'NEW', value: 'y' },
          { name: 'OLD', $patch: 'delete' },
        ],
      },
    ]);
  });
  it('lists a patch file once', () => {
    assert.equal(
      listPatch({ patches: [{ path: 'adopt-deployment-web.yaml' }] }, 'adopt-deployment-web.yaml'),
      null,
    );
    assert.deepEqual(listPatch({}, 'p.yaml'), { segs: [{ field: 'patches' }], value: [{ path: 'p.yaml' }] });
  });
});
