// kubectl (go-yaml) accepts quoted scalars whose continuation lines are indented less than YAML 1.2
// allows; the parser reads them to the same value. What is still broken is refused with file and line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from './parse.ts';
import { indentQuotedContinuations } from './yaml-indent.ts';

const cm = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${data}`;

describe('quoted scalars indented the way kubectl accepts', () => {
  it('double- and single-quoted continuations at any indentation fold like go-yaml', () => {
    const text = cm(
      [
        '  a: "line one',
        'line two"',
        "  b: 'it''s",
        " folded'",
        '  c: "escaped \\',
        '  newline"',
        '  d: |',
        '    "not a quote',
        '    start',
        `  e: plain's "quotes"`,
        '',
      ].join('\n'),
    );
    const r = parseManifests([{ path: 'cm.yaml', content: text }], { defaultNamespace: 'd' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.objects[0]?.object['data'], {
      a: 'line one line two',
      b: "it's folded",
      c: 'escaped newline',
      d: '"not a quote\nstart\n',
      e: `plain's "quotes"`,
    });
  });

  it('valid YAML is left alone (the pass changes nothing)', () => {
    assert.equal(indentQuotedContinuations(cm('  a: "x\n    y"\n')), null);
    assert.equal(indentQuotedContinuations('a: [1, "b", {c: d}]\n# "x\n'), null);
  });

  it('an unterminated quote is still refused, with file and line', () => {
    const r = parseManifests([{ path: 'bad.yaml', content: cm('  a: "never closed\n  b: 1\n') }], {
      defaultNamespace: 'd',
    });
    assert.equal(r.objects.length, 0);
    assert.equal(r.errors[0]?.file, 'bad.yaml');
    // The parser points at where it gave up looking for the quote (the end of the file here).
    assert.equal(r.errors[0]?.line, 8);
    assert.match(r.errors[0]?.message ?? '', /quote/);
  });
});
