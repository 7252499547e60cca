// The fast reader against the library it stands in for: whenever it reads a text (not null), the
// library must read the same text with no error and no duplicate key, into the same values (same
// keys in the same order, same types: `yes` true, `0777` 511, `~` null). Inputs: every file of the
// shared corpora, the engine's fixtures, the benchmark's manifests and generated YAML full of the
// scalars and shapes where YAML 1.1 surprises (plus random damage, so invalid text is covered too).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { generateObjects, repoFiles } from '../../test/bench/objects.ts';
import { RENDER_CORPUS, sharedSkip } from '../../test/kit/shared-data.ts';
import { CORPUS, EXAMPLES, TESTDATA, exists, manifestFiles } from '../../test/engine/testdata/fixtures.ts';
import type { JsonValue } from '../types.ts';
import { parseManifests, readByLibrary, readFast } from './parse.ts';

const MAX_ALIAS_COUNT = 100;

/** Same values, and the same key order (deepStrictEqual alone ignores the order of keys). */
function sameValues(fast: JsonValue[], library: unknown[]): void {
  assert.deepStrictEqual(fast, library);
  assert.equal(JSON.stringify(fast), JSON.stringify(library));
}

/** Checks one text; true when the fast reader took it. */
function agrees(text: string): boolean {
  const fast = readFast(text);
  if (fast === null) return false;
  const { docs, duplicateKeys } = readByLibrary(text);
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  assert.deepEqual(errors, [], `the fast reader accepted text the library refuses:\n${text}`);
  assert.equal(duplicateKeys, 0, `the fast reader accepted duplicate keys:\n${text}`);
  // parseManifests skips empty documents (no contents, or a null value) either way.
  const values = docs
    .filter((d) => d.contents !== null)
    .map((d) => d.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown)
    .filter((v) => v !== null && v !== undefined);
  try {
    sameValues(fast, values);
  } catch (e) {
    throw new Error(`values differ for:\n${text}\n${(e as Error).message}`, { cause: e });
  }
  return true;
}

function texts(dir: string): { path: string; text: string }[] {
  if (!exists(dir)) return [];
  return manifestFiles(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f.path))
    .map((f) => ({ path: f.path, text: Buffer.from(f.content).toString('utf8') }));
}

/** Scalars the fast reader should take, many of them typed in surprising ways by YAML 1.1. */
const SCALARS = [
  ...['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'True', 'FALSE', 'tRue'],
  ...['0777', '0x1F', '0b101', '1_000', '007', '08', '-0', '+1', '0', '12', '-12', '3.', '.5', '1e3'],
  ...['1.5e-3', '6.8523015e+5', '190:20:30', '12:30', '~', 'null', 'Null', 'NULL', '.inf', '-.Inf'],
  ...['.NaN', '.nan', '2001-12-14t21:59:43.10-05:00', '2002-12-14', '10m', '16Mi', 'nginx:1.27.3'],
  ...['http://a.b:8080/x?y=1', 'a b', 'a#b', 'x # comment', '-a', '--x', '0o17', '+.inf', '1:2', 'a,b'],
  ...['[a, b]', '[]', '{}', '{a: 1}', '{ a: [1, {b: yes}] }', '[{ name: http, port: 80 }]', '{"a":1}'],
  ...['"q"', "'s'", "'it''s'", '"a: b"', "'#x'", '"yes"', "'0777'", '"~"', '{ k: v } # c', '\\'],
];
/** Scalars (and junk) it should leave to the library, or where the library refuses the text. */
const REFUSED = [
  ...['a #b', 'a:b', 'a:', 'a: b', '-', '?x', ':x', '*a', '&a x', '!a x', '!!str 1', '|', '>', '|-'],
  ...['%x', '@x', '`x', '[a]', '{a:1}', '[a: b]', '', '"a\\"b"', '"\\t"', '"" x', '<<', 'é'],
  ...['a\tb', '"unclosed', '{a: 1', '[1,]', '{a: 1,}', '{a, b}', '[a #c]', '- a', 'a - b'],
];
const KEYS = [
  ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'apiVersion', 'kind', 'name', 'namespace', 'labels', 'spec'],
  ...['a.b/c-d', 'k_1', '_k', 'x-y', 'app.kubernetes.io/name', '"quoted"', "'single'", '"a b"', "'c: d'"],
];
const ODD_KEYS = [
  ...['on', 'yes', 'y', 'n', 'off', '1', '0x1', '1.5', 'null', '~', '<<', '__proto__', 'constructor'],
  ...['toString', '"on"', 'a b', 'a:b', '-a', '"a"', "'a'", '"<<"', '"__proto__"', '? a', '&x a'],
  ...['!t a', '"a\\"b"', "'it''s'", '"1"', 'TRUE'],
];
/** `rare` in 1 of `1 + often` picks: high for texts that should mostly take the fast path. */
const mix = <T>(common: readonly T[], rare: readonly T[], often: number) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...common), weight: often },
    { arbitrary: fc.constantFrom(...rare), weight: 1 },
  );

type Node =
  { t: 'scalar'; v: string } | { t: 'map'; e: [string, Node][] } | { t: 'seq'; compact: boolean; e: Node[] };

const nodeOf = (scalar: fc.Arbitrary<string>, key: fc.Arbitrary<string>): fc.Arbitrary<Node> =>
  fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ t: fc.constant('scalar' as const), v: scalar }),
      fc.record({
        t: fc.constant('map' as const),
        e: fc.array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        t: fc.constant('seq' as const),
        compact: fc.boolean(),
        e: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
      }),
    ),
  })).node;

/** Block-style YAML of a node at `indent` (a map or a sequence), with a comment here and there. */
function block(n: Node, indent: number, step: number): string[] {
  const sp = ' '.repeat(indent);
  if (n.t === 'scalar') return [`${sp}${n.v}`];
  if (n.t === 'map')
    return n.e.flatMap(([k, v]) => {
      if (v.t === 'scalar') return [`${sp}${k}: ${v.v}`];
      if (v.t === 'seq') return [`${sp}${k}:`, ...block(v, v.compact ? indent : indent + step, step)];
      return [`${sp}${k}:  # nested`, ...block(v, indent + step, step)];
    });
  return n.e.flatMap((v) => {
    if (v.t === 'scalar') return [`${sp}- ${v.v}`];
    const [first, ...rest] = block(v, indent + 2, step);
    return [`${sp}- ${(first ?? '').trimStart()}`, ...rest];
  });
}

const DAMAGE = ['\t', ' ', '\r', '#', ':', '-', '\n', '---\n', '"', "'", '{', ']', ',', '  ', '\n  '];

const documentOf = (often: number) => {
  const key = mix(KEYS, ODD_KEYS, often);
  const node = nodeOf(mix(SCALARS, REFUSED, often), key);
  return fc
    .record({
      docs: fc.array(
        fc.record({
          root: fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 5 }),
          step: fc.constantFrom(1, 2, 4),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      separator: fc.constantFrom('---\n', '--- # next\n', '---\n\n# c\n', '\n---\n'),
      lead: fc.constantFrom('', '# header\n', '---\n', '\n'),
      tail: fc.constantFrom('', '\n', '---\n', '...\n', '# end\n'),
      damage: fc.oneof(
        { arbitrary: fc.constant([]), weight: Math.ceil(often / 6) },
        {
          arbitrary: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...DAMAGE), fc.boolean()), {
            minLength: 1,
            maxLength: 2,
          }),
          weight: 1,
        },
      ),
    })
    .map(({ docs, separator, lead, tail, damage }) => {
      let text =
        lead +
        docs.map((d) => `${block({ t: 'map', e: d.root }, 0, d.step).join('\n')}\n`).join(separator) +
        tail;
      for (const [at, what, replace] of damage) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + what + text.slice(replace ? i + 1 : i);
      }
      return text;
    });
};

describe('fast YAML reader = the yaml library (YAML 1.1, as kubectl reads it)', () => {
  it('agrees on every fixture and example file', () => {
    const all = [...texts(EXAMPLES), ...texts(TESTDATA)];
    assert.ok(all.length > 0, 'expected the fixtures');
    for (const f of all) agrees(f.text);
  });

  it(
    'agrees on every file of the shared corpora and the fixtures',
    { skip: sharedSkip(CORPUS, RENDER_CORPUS) },
    (t) => {
      const all = [...texts(CORPUS), ...texts(RENDER_CORPUS), ...texts(EXAMPLES), ...texts(TESTDATA)];
      assert.ok(all.length > 50, `expected the shared corpora, found ${all.length} files`);
      let fast = 0;
      for (const f of all) if (agrees(f.text)) fast++;
      t.diagnostic(`${fast} of ${all.length} files took the fast path`);
      // Not an assertion on speed: the corpus must actually exercise the fast path.
      assert.ok(fast > all.length / 4, `only ${fast} of ${all.length} files took the fast path`);
    },
  );

  it("takes every one of the benchmark's files, with the library's values", () => {
    const files = Object.values(repoFiles(generateObjects(400)));
    for (const text of files) assert.ok(agrees(text), `fast path refused:\n${text}`);
  });

  for (const [name, often, share] of [
    ['mostly readable YAML with the tricky scalars and shapes', 60, 0.15],
    ['adversarial YAML: odd keys, refused scalars, random damage', 6, 0],
  ] as const)
    it(`agrees on generated ${name}`, (t) => {
      let fast = 0;
      let runs = 0;
      fc.assert(
        fc.property(documentOf(often), (text) => {
          runs++;
          if (agrees(text)) fast++;
        }),
        { numRuns: 3000 },
      );
      t.diagnostic(`${fast} of ${runs} generated texts took the fast path`);
      // The generator must reach the fast path often, or the property proves little.
      assert.ok(fast >= runs * share, `only ${fast} of ${runs} generated texts took the fast path`);
    });

  it("a file the fast reader takes still reports duplicate objects with the library's line", () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n';
    const r = parseManifests(
      [
        { path: 'one.yaml', content: cm },
        { path: 'two.yaml', content: `# leading\n${cm}---\n${cm}` },
        {
          path: 'list.yaml',
          content: `apiVersion: v1\nkind: List\nitems:\n- ${cm.replace(/\n(?=.)/g, '\n  ')}- ${cm.replace(/\n(?=.)/g, '\n  ')}`,
        },
      ],
      { defaultNamespace: 'default' },
    );
    assert.deepEqual(
      r.objects.map((o) => `${o.id} ${o.sourceFile}`),
      ['ConfigMap:default:a one.yaml'],
    );
    assert.deepEqual(
      r.errors.map((e) => `${e.file}:${e.line} ${e.message}`),
      [
        'two.yaml:2 duplicate object ConfigMap:default:a (a): defined in one.yaml and two.yaml',
        'two.yaml:5 duplicate object ConfigMap:default:a (a): defined in one.yaml and two.yaml',
        'list.yaml:1 duplicate object ConfigMap:default:a (a): defined in one.yaml and list.yaml',
        'list.yaml:1 duplicate object ConfigMap:default:a (a): defined in one.yaml and list.yaml',
      ],
    );
  });
});
