// Parsing untrusted manifests: errors carry file + line and never stop other files; bombs are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FILE_BYTES, parseManifests } from './parse.ts';
import { CORPUS, EXAMPLES, manifestFiles } from '../../test/engine/testdata/fixtures.ts';
import { sharedSkip } from '../../test/kit/shared-data.ts';

const opts = { defaultNamespace: 'default' };
const cm = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}data:\n  a: "1"\n`;

describe('parseManifests', () => {
  it('multi-document files, namespace defaulting, cluster-scoped kinds', () => {
    const r = parseManifests(
      [
        {
          path: 'a.yaml',
          content: `${cm('one')}---\n${cm('two', 'prod')}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: ignored\nrules: []\n---\n`,
        },
      ],
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.objects.map((o) => o.id),
      ['ConfigMap:default:one', 'ConfigMap:prod:two', 'ClusterRole::reader'],
    );
    assert.equal(r.objects[0]?.object.metadata['namespace'], 'default');
    assert.equal(r.objects[2]?.object.metadata['namespace'], undefined);
    assert.equal(r.objects[1]?.sourceFile, 'a.yaml');
  });

  it('uses opts.defaultNamespace', () => {
    const r = parseManifests([{ path: 'a.yml', content: cm('one') }], { defaultNamespace: 'team-a' });
    assert.equal(r.objects[0]?.id, 'ConfigMap:team-a:one');
  });

  it('accepts .json and Uint8Array content; ignores other extensions', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    const r = parseManifests(
      [
        { path: 'ns.json', content: new TextEncoder().encode(json) },
        { path: 'README.md', content: 'not: [valid' },
        { path: 'kustomize/patch.txt', content: cm('x') },
      ],
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.objects.map((o) => o.id),
      ['Namespace::demo'],
    );
  });

  it('expands kind: List', () => {
    const r = parseManifests(
      [
        {
          path: 'list.yaml',
          content: `apiVersion: v1\nkind: List\nitems:\n- ${cm('a').trimEnd().split('\n').join('\n  ')}\n- ${cm('b', 'x').trimEnd().split('\n').join('\n  ')}\n`,
        },
      ],
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.objects.map((o) => o.id),
      ['ConfigMap:default:a', 'ConfigMap:x:b'],
    );
  });

  it('warns once per file about non-Kubernetes documents', () => {
    const r = parseManifests(
      [
        {
          path: 'mixed.yaml',
          content: `${cm('a')}---\nfoo: bar\n---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n`,
        },
      ],
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.equal(r.objects.length, 1);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.file, 'mixed.yaml');
    assert.match(r.warnings[0]?.message ?? '', /2 document\(s\) skipped/);
  });

  it('reports a malformed file with file and line and keeps parsing the others', () => {
    const r = parseManifests(
      [
        { path: 'good1.yaml', content: cm('a') },
        {
          path: 'bad.yaml',
          content: `${cm('b')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: b\ndata:\n  x: y\n`,
        },
        { path: 'good2.yaml', content: cm('d') },
      ],
      opts,
    );
    assert.deepEqual(
      r.objects.map((o) => o.id),
      ['ConfigMap:default:a', 'ConfigMap:default:b', 'ConfigMap:default:d'],
    );
    assert.ok(r.errors.length >= 1);
    for (const e of r.errors) {
      assert.equal(e.file, 'bad.yaml');
      assert.equal(typeof e.line, 'number');
      assert.ok((e.line ?? 0) >= 12 && (e.line ?? 0) <= 16, `line ${e.line}`);
      assert.ok(e.message.length > 0);
    }
  });

  it('reports a bad indentation error on its line', () => {
    const r = parseManifests(
      [
        {
          path: 'indent.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n',
        },
      ],
      opts,
    );
    assert.equal(r.errors[0]?.file, 'indent.yaml');
    assert.ok(r.errors[0]?.line === 4 || r.errors[0]?.line === 5, String(r.errors[0]?.line));
  });

  it('duplicate keys: last value wins (as kubectl reads YAML), with a warning naming the line', () => {
    const r = parseManifests(
      [
        {
          path: 'dup.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\nmetadata:\n  name: second\n',
        },
      ],
      opts,
    );
    assert.deepEqual(r.errors, []);
    assert.equal(r.objects[0]?.id, 'ConfigMap:default:second');
    assert.equal(r.warnings[0]?.file, 'dup.yaml');
    assert.match(r.warnings[0]?.message ?? '', /^line 5: duplicate key/);
  });

  it('duplicate id across files is an error naming both files', () => {
    const r = parseManifests(
      [
        { path: 'a/one.yaml', content: cm('same') },
        { path: 'b/two.yaml', content: cm('same', 'default') },
      ],
      opts,
    );
    assert.equal(r.objects.length, 1);
    assert.equal(r.objects[0]?.sourceFile, 'a/one.yaml');
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]?.file, 'b/two.yaml');
    assert.match(r.errors[0]?.message ?? '', /ConfigMap:default:same.*a\/one\.yaml.*b\/two\.yaml/);
  });

  it('refuses an alias bomb (billion laughs) quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(97 + i - 1);
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`,
      );
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${lines.join('\n')}\n`;
    const t0 = performance.now();
    const r = parseManifests(
      [
        { path: 'bomb.yaml', content: bomb },
        { path: 'ok.yaml', content: cm('ok') },
      ],
      opts,
    );
    assert.ok(performance.now() - t0 < 2000);
    assert.deepEqual(
      r.objects.map((o) => o.id),
      ['ConfigMap:default:ok'],
    );
    assert.equal(r.errors[0]?.file, 'bomb.yaml');
    assert.match(r.errors[0]?.message ?? '', /alias/i);
  });

  it('refuses a depth bomb', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(150)}${']'.repeat(150)}\n`;
    const r = parseManifests([{ path: 'deep.yaml', content: deep }], opts);
    assert.equal(r.objects.length, 0);
    assert.equal(r.errors[0]?.file, 'deep.yaml');
    assert.match(r.errors[0]?.message ?? '', /deeper than 100/);
  });

  it('refuses huge flow nesting and indentation up front, fast', () => {
    const t0 = performance.now();
    const r = parseManifests(
      [
        { path: 'flow.yaml', content: `a: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n` },
        {
          path: 'indent.yaml',
          content: `a:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')} x\n`,
        },
        { path: 'ok.yaml', content: cm('ok') },
      ],
      opts,
    );
    assert.ok(performance.now() - t0 < 1000, `${performance.now() - t0} ms`);
    assert.deepEqual(
      r.errors.map((e) => [e.file, e.line, e.message]),
      [
        ['flow.yaml', 1, 'nested deeper than 100 levels (flow collections)'],
        ['indent.yaml', 202, 'nested deeper than 100 levels (indentation)'],
      ],
    );
    assert.equal(r.objects.length, 1);
  });

  it('keeps YAML timestamps and h:m values as strings (like kubectl)', () => {
    const r = parseManifests(
      [
        {
          path: 't.yaml',
          content:
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata:\n  at: 12:30\n  day: 2024-01-01\n',
        },
      ],
      opts,
    );
    assert.deepEqual(r.objects[0]?.object['data'], { at: '12:30', day: '2024-01-01' });
  });

  it('refuses an oversized file', () => {
    const big = `${cm('big')}# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    const r = parseManifests(
      [
        { path: 'big.yaml', content: big },
        { path: 'ok.yaml', content: cm('ok') },
      ],
      opts,
    );
    assert.equal(r.objects.length, 1);
    assert.match(r.errors[0]?.message ?? '', /over the 4194304-byte limit/);
  });

  it('reads YAML like kubectl: octal 0644 is 420', () => {
    const r = parseManifests(
      [
        {
          path: 'p.yaml',
          content:
            'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: s\n    secret:\n      secretName: s\n      defaultMode: 0644\n',
        },
      ],
      opts,
    );
    const spec = r.objects[0]?.object['spec'] as { volumes: { secret: { defaultMode: number } }[] };
    assert.equal(spec.volumes[0]?.secret.defaultMode, 420);
  });

  it('parses examples/ with no error and no warning', () => {
    const r = parseManifests(manifestFiles(EXAMPLES), opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.ok(r.objects.length >= 15, String(r.objects.length));
    assert.ok(
      r.objects.every((o) => o.object.kind === 'Namespace' || o.object.metadata['namespace'] === 'demo'),
    );
  });

  it(
    'parses the shared real-world corpus with no error (only non-Kubernetes warnings)',
    { skip: sharedSkip(CORPUS) },
    () => {
      const files = manifestFiles(CORPUS);
      const r = parseManifests(files, opts);
      assert.ok(files.length > 100);
      // The corpus holds several copies of the same app (kustomize bases and overlays): duplicates are expected errors only.
      const unexpected = r.errors.filter((e) => !/^duplicate object/.test(e.message));
      assert.deepEqual(unexpected, []);
      assert.ok(r.objects.length > 100, String(r.objects.length));
      for (const w of r.warnings) assert.match(w.message, /not Kubernetes objects|duplicate key/);
    },
  );
});
