import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEngineOptions, parseManifests } from '../../shared/engine/index.ts';
import { previewChange } from '../../shared/engine/preview.ts';
import type { KubeObject } from '../../shared/types.ts';
import { previewMarkdown } from './markdown.ts';

const opts = defaultEngineOptions({ defaultNamespace: 'shop' });

function deploy(image: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
`;
}
const secret = (v: string) =>
  `---\napiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData: {password: ${v}}\n`;

function parse(text: string) {
  return parseManifests([{ path: 'app.yaml', content: text }], opts).objects;
}

describe('preview', () => {
  const base = parse(deploy('nginx:1.27.3', 3) + secret('old-pass-123'));
  const head = parse(deploy('nginx:1.28.0', 3) + secret('new-pass-456'));
  const live = new Map<string, KubeObject>(
    parse(deploy('nginx:1.27.3', 5) + secret('old-pass-123')).map((d) => [d.id, d.object]),
  );
  const p = previewChange(base, head, live, opts);
  it('reports what the change does live and the hand-scaled replicas it overwrites', () => {
    const web = p.objects.find((o) => o.resource_id === 'Deployment:shop:web');
    assert.ok(web);
    assert.equal(web.change, 'modify');
    assert.deepEqual(
      web.to_live.map((d) => [d.path, d.live, d.desired]),
      [
        ['spec.replicas', 5, 3],
        ['spec.template.spec.containers[name=web].image', 'nginx:1.27.3', 'nginx:1.28.0'],
      ],
    );
    assert.deepEqual(
      web.overwrites.map((d) => d.path),
      ['spec.replicas'],
    );
    assert.deepEqual(p.summary, {
      added: 0,
      modified: 2,
      pruned: 0,
      unchanged: 0,
      fields_changed_live: 3,
      drifts_overwritten: 1,
    });
  });
  it('writes a PR comment: summary first, a collapsed section per object, Secret values redacted', () => {
    const md = previewMarkdown(p, 'main (abc)', 'working tree');
    const lines = md.split('\n');
    assert.equal(
      lines[0],
      '**DriftGuard preview** of `main (abc)` → `working tree`: 2 objects change (2 modified, 0 added, 0 pruned), 3 fields change live; :warning: 1 live drift would be overwritten.',
    );
    assert.equal(md.match(/<details>/g)?.length, 2);
    assert.match(
      md,
      /<summary>Deployment shop\/web: modified, 2 fields change live, :warning: overwrites 1 live drift<\/summary>/,
    );
    assert.match(md, /\| `spec\.replicas` \| `5` \| `3` \| overwrites a live change \|/);
    assert.match(
      md,
      /\| `spec\.template\.spec\.containers\[name=web\]\.image` \| `nginx:1\.27\.3` \| `nginx:1\.28\.0` \| {2}\|/,
    );
    assert.match(md, /\| `data\.password` \| `\(redacted\)` \| `\(redacted\)` \|/);
    assert.doesNotMatch(md, /pass-123|pass-456|cGFzc/);
  });
  it('lists added and pruned objects, and says nothing changes when nothing does', () => {
    const q = previewChange(base.slice(1), head.slice(0, 1), live, opts);
    assert.deepEqual(
      q.objects.map((o) => [o.resource_id, o.change]),
      [
        ['Deployment:shop:web', 'add'],
        ['Secret:shop:db', 'prune'],
      ],
    );
    assert.match(
      previewMarkdown(q, 'a', 'b'),
      /<summary>Secret shop\/db: removed from Git \(pruned from the cluster\)<\/summary>/,
    );
    const none = previewChange(base, base, live, opts);
    assert.deepEqual(none.objects, []);
    assert.match(
      previewMarkdown(none, 'a', 'b'),
      /^\*\*DriftGuard preview\*\* of `a` → `b`: no object changes\.\n\n2 other objects unchanged/,
    );
  });
});
