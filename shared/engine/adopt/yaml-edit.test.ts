import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePath, PathSyntaxError } from './path-parse.ts';
import { formatPath } from '../path.ts';
import { locateObject } from './locate.ts';
import { editYaml, YamlEditError, type FieldEdit } from './yaml-edit.ts';
import { scalarText } from './yaml-render.ts';

const DEPLOY = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # keep this name
  labels:
    app: web
spec:
  replicas: 3 # three is plenty
  template:
    spec:
      containers:
        - name: web
          image: "nginx:1.27.3"
          env:
            - name: LOG_LEVEL
              value: 'info'
            # the mode matters
            - name: MODE
              value: production
          resources:
            limits:
              memory: 256Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`;

function edit(text: string, path: string, value: FieldEdit['value'], document = 0): string {
  const kind = document === 0 ? 'Deployment' : 'Service';
  return editYaml(text, { document, item: null }, kind, [{ segs: parsePath(path), value }]);
}

/** The lines of `after` that differ from `before`: [removed, added]. */
function changed(before: string, after: string): [string[], string[]] {
  const a = before.split('\n');
  const b = after.split('\n');
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [a.slice(p, a.length - s), b.slice(p, b.length - s)];
}

describe('field paths', () => {
  for (const p of [
    'spec.replicas',
    'spec.template.spec.containers[name=web].image',
    'spec.ports[port=53,protocol=UDP].nodePort',
    'metadata.labels["app.kubernetes.io/name"]',
    'spec.template.spec.containers[name=web].volumeMounts[mountPath=/data]',
  ])
    it(`reads back ${p}`, () => assert.equal(formatPath(parsePath(p)), p));
  it('says what is wrong with a bad path', () => {
    assert.throws(() => parsePath('spec..replicas'), PathSyntaxError);
    assert.throws(() => parsePath('spec.containers[name=web'), PathSyntaxError);
    assert.throws(() => parsePath(''), PathSyntaxError);
  });
});

describe('editYaml', () => {
  it('changes a scalar and nothing else, keeping its comment', () => {
    const out = edit(DEPLOY, 'spec.replicas', 5);
    assert.deepEqual(changed(DEPLOY, out), [
      ['  replicas: 3 # three is plenty'],
      ['  replicas: 5 # three is plenty'],
    ]);
  });
  it('keeps the quoting of a string', () => {
    const out = edit(DEPLOY, 'spec.template.spec.containers[name=web].image', 'nginx:1.28.0');
    assert.deepEqual(changed(DEPLOY, out), [
      ['          image: "nginx:1.27.3"'],
      ['          image: "nginx:1.28.0"'],
    ]);
    const single = edit(DEPLOY, 'spec.template.spec.containers[name=web].env[name=LOG_LEVEL].value', "it's");
    assert.deepEqual(changed(DEPLOY, single)[1], ["              value: 'it''s'"]);
  });
  it('adds a live-only env var after the last one, in the list style of the file', () => {
    const out = edit(DEPLOY, 'spec.template.spec.containers[name=web].env[name=DEBUG]', {
      name: 'DEBUG',
      value: 'true',
    });
    assert.deepEqual(changed(DEPLOY, out), [
      [],
      ['            - name: DEBUG', '              value: "true"'],
    ]);
  });
  it('adds a label, and a map that did not exist', () => {
    const out = edit(DEPLOY, 'metadata.labels.team', 'storefront');
    assert.deepEqual(changed(DEPLOY, out), [[], ['    team: storefront']]);
    const ann = edit(DEPLOY, 'metadata.annotations["example.com/owner"]', 'me');
    assert.deepEqual(changed(DEPLOY, ann), [[], ['  annotations:', '    example.com/owner: me']]);
  });
  it('removes a field, and a list item, keeping the comment before the next one', () => {
    const out = edit(DEPLOY, 'spec.template.spec.containers[name=web].env[name=LOG_LEVEL]', undefined);
    assert.deepEqual(changed(DEPLOY, out), [
      ['            - name: LOG_LEVEL', "              value: 'info'"],
      [],
    ]);
    assert.match(out, /# the mode matters/);
    const lim = edit(DEPLOY, 'spec.template.spec.containers[name=web].resources.limits.memory', undefined);
    // The emptied maps go too: absent and empty are the same to the engine.
    assert.deepEqual(changed(DEPLOY, lim), [
      ['          resources:', '            limits:', '              memory: 256Mi'],
      [],
    ]);
  });
  it('edits only the document it is told to, with the file`s own list indentation', () => {
    const out = edit(DEPLOY, 'spec.ports[port=443]', { port: 443, targetPort: 8443 }, 1);
    assert.deepEqual(changed(DEPLOY, out), [[], ['  - port: 443', '    targetPort: 8443']]);
  });
  it('writes a changed map entry by entry, so untouched entries keep their comments', () => {
    const out = edit(DEPLOY, 'metadata', { name: 'web', labels: { app: 'web', tier: 'front' } });
    assert.deepEqual(changed(DEPLOY, out), [[], ['    tier: front']]);
  });
  it('turns a scalar or an empty map into a block', () => {
    const text = 'kind: ConfigMap\nmetadata:\n  name: x\n  labels: {}\ndata:\n';
    const out = editYaml(text, { document: 0, item: null }, 'ConfigMap', [
      { segs: parsePath('metadata.labels.a'), value: 'b' },
      { segs: parsePath('data.k'), value: 'v' },
    ]);
    assert.equal(out, 'kind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: b\ndata:\n  k: v\n');
  });
  it('quotes what YAML 1.1 would read as something else', () => {
    assert.equal(scalarText('yes'), '"yes"');
    assert.equal(scalarText('0644'), '"0644"');
    assert.equal(scalarText('1.0'), '"1.0"');
    assert.equal(scalarText('a: b'), '"a: b"');
    assert.equal(scalarText('nginx:1.28'), 'nginx:1.28');
    assert.equal(scalarText('line\nbreak'), '"line\\nbreak"');
  });
  it('refuses a path the document is not shaped for', () => {
    assert.throws(() => edit(DEPLOY, 'spec.replicas.x', 1), YamlEditError);
  });
  it('finds the document (and List item) that declares an object', () => {
    assert.deepEqual(locateObject(DEPLOY, 'Service:shop:web', 'shop'), [{ document: 1, item: null }]);
    assert.deepEqual(locateObject(DEPLOY, 'Deployment:default:web', 'default'), [
      { document: 0, item: null },
    ]);
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n';
    assert.deepEqual(locateObject(list, 'ConfigMap:default:b', 'default'), [{ document: 0, item: 1 }]);
    const out = editYaml(list, { document: 0, item: 1 }, 'ConfigMap', [
      { segs: parsePath('data.k'), value: 'v' },
    ]);
    assert.deepEqual(changed(list, out), [[], ['  data:', '    k: v']]);
  });
});
