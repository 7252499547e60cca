// The parse cache gives exactly what an uncached parse gives: on the run that fills it, on the next
// run (read back from disk), after a file is edited (that file, and only it, is parsed again), when
// two files declare one object, under another context, and when the cache on disk is damaged.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parseManifests, type ManifestFile, type ParseResult } from '../../shared/engine/index.ts';
import { parseFiles, type ParseContext } from '../../shared/node/render/parsed-files.ts';
import { listSourceFiles } from '../../shared/node/source-files.ts';
import { CORPUS, sharedSkip } from '../../test/kit/shared-data.ts';
import { MAX_SOURCES, ParseCache } from './parse-cache.ts';

const SOURCE = { repo: '/somewhere/repo', branch: undefined, path: 'manifests' };
const CTX: ParseContext = { defaultNamespace: 'default', scopes: undefined };

const FILES: ManifestFile[] = [
  { path: 'a.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "v"\n' },
  {
    path: 'b.yaml',
    content:
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  replicas: 2\n',
  },
  // The library's path: a duplicate key (warning with its line) and an anchor.
  {
    path: 'c.yml',
    content: Buffer.from(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels: &l\n    x: "1"\n  annotations: *l\nstringData:\n  p: one\n  p: two\n',
    ),
  },
  { path: 'd.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' },
  {
    path: 'e.json',
    content:
      '{"kind":"List","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"}}, {"not":"k8s"}]}',
  },
  { path: 'notes.txt', content: 'not a manifest' },
];

/** A store that counts what it had to parse. */
function counted(cache: ParseCache): { cache: ParseCache; parsed: () => number } {
  let n = 0;
  const set = cache.set.bind(cache);
  cache.set = (k: string, v: ParseResult) => {
    n++;
    set(k, v);
  };
  return { cache, parsed: () => n };
}

describe('parse cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftguard-parse-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(
    files: readonly ManifestFile[],
    ctx = CTX,
  ): { result: ParseResult; parsed: number; cache: ParseCache } {
    const { cache, parsed } = counted(new ParseCache(dir, SOURCE));
    const result = parseFiles(files, ctx, cache);
    cache.save();
    return { result, parsed: parsed(), cache };
  }

  it('gives what parseManifests gives, filled and read back, and parses only what changed', () => {
    const want = parseManifests(FILES, CTX);
    assert.ok(want.errors.length > 0 && want.warnings.length > 0, 'the files exercise errors and warnings');
    const first = run(FILES);
    assert.deepEqual(first.result, want);
    assert.equal(first.parsed, FILES.length);
    const second = run(FILES);
    assert.deepEqual(second.result, want);
    assert.equal(second.parsed, 0, 'every file came from the cache');
    assert.equal(second.cache.problem, null);

    const edited = FILES.map((f) =>
      f.path === 'a.yaml' ? { ...f, content: String(f.content).replace('"v"', '"w"') } : f,
    );
    const third = run(edited);
    assert.equal(third.parsed, 1, 'only the edited file is parsed again');
    assert.deepEqual(third.result, parseManifests(edited, CTX));
    assert.deepEqual((third.result.objects[0]?.object as { data?: unknown }).data, { k: 'w' });
  });

  it('keys the context: another default namespace or kind scopes parse again', () => {
    run(FILES);
    const other: ParseContext = { defaultNamespace: 'other', scopes: undefined };
    const r = run(FILES, other);
    assert.equal(r.parsed, FILES.length);
    assert.deepEqual(r.result, parseManifests(FILES, other));
    const scoped: ParseContext = { defaultNamespace: 'default', scopes: new Map([['ConfigMap', false]]) };
    const s = run(FILES, scoped);
    assert.equal(s.parsed, FILES.length);
    assert.deepEqual(s.result, parseManifests(FILES, scoped));
    assert.equal(s.result.objects[0]?.object.metadata['namespace'], undefined);
  });

  it('an object two files declare is reported as the whole parse reports it', () => {
    const twice = [...FILES, { path: 'z.yaml', content: FILES[0]?.content ?? '' }];
    run(twice);
    const r = run(twice);
    const want = parseManifests(twice, CTX);
    assert.deepEqual(r.result, want);
    assert.ok(want.errors.some((e) => e.message.includes('duplicate object ConfigMap:default:a')));
  });

  it('objects handed out twice are not shared, and changing them does not change the cache', () => {
    run(FILES);
    const cache = new ParseCache(dir, SOURCE);
    const one = parseFiles(FILES, CTX, cache);
    const two = parseFiles(FILES, CTX, cache);
    assert.deepEqual(one, two);
    assert.notEqual(one.objects[0]?.object, two.objects[0]?.object);
    cache.save();
    (one.objects[0]?.object.metadata as Record<string, unknown>)['name'] = 'changed';
    assert.deepEqual(run(FILES).result, parseManifests(FILES, CTX));
  });

  it('a damaged or foreign cache is ignored and rewritten', () => {
    run(FILES);
    const [file] = readdirSync(dir);
    assert.ok(file);
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    for (const bad of [
      text.replace('"name":"a"', '"name":"b"'), // body no longer matches its checksum
      text.slice(0, text.length / 2),
      'garbage',
      `${text.split('\n')[0]}\n[["k",{"objects":[1],"errors":[],"warnings":[]}]]`,
    ]) {
      writeFileSync(path, bad);
      const r = run(FILES);
      assert.deepEqual(r.result, parseManifests(FILES, CTX));
      assert.equal(r.parsed, FILES.length);
      assert.notEqual(r.cache.problem, null, 'said why');
      assert.equal(run(FILES).parsed, 0, 'rewritten whole');
    }
    writeFileSync(path, text.replace('"format":1', '"format":0'));
    const foreign = run(FILES);
    assert.equal(foreign.parsed, FILES.length);
    assert.equal(foreign.cache.problem, null, 'another version is not damage');
  });

  it(`keeps the newest ${MAX_SOURCES} sources`, () => {
    for (let i = 0; i < MAX_SOURCES + 3; i++) {
      const cache = new ParseCache(dir, { ...SOURCE, path: `p${i}` });
      parseFiles(FILES.slice(0, 1), CTX, cache);
      cache.save();
    }
    assert.equal(readdirSync(dir).length, MAX_SOURCES);
  });

  it('a cache dir that cannot be written costs a parse, nothing more', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const cache = new ParseCache(join(file, 'parsed'), SOURCE);
    assert.deepEqual(parseFiles(FILES, CTX, cache), parseManifests(FILES, CTX));
    cache.save();
    assert.equal(existsSync(join(file, 'parsed')), false);
  });

  it('the shared corpus parses the same from the cache', { skip: sharedSkip(CORPUS) }, () => {
    const files = listSourceFiles(CORPUS, '').map((p) => ({
      path: p,
      content: readFileSync(join(CORPUS, p)),
    }));
    const want = parseManifests(files, CTX);
    assert.deepEqual(run(files).result, want);
    const again = run(files);
    assert.equal(again.parsed, 0);
    assert.deepEqual(again.result, want);
    assert.ok(want.objects.length > 100 && want.errors.length + want.warnings.length > 0);
  });
});
