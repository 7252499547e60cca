import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substituteVariables } from './substitute.ts';

describe("Flux's postBuild substitution", () => {
  it('replaces ${var}, applies defaults, keeps $${var} literal and skips disabled objects', () => {
    const stream = [
      'a: ${A}\nb: ${B:=fallback}\nc: ${C:-x}\nd: $${A}\ne: "${MISSING}"\n',
      '---\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\nf: ${A}\n',
    ].join('');
    assert.equal(
      substituteVariables(stream, { A: '1', C: '' }),
      [
        'a: 1\nb: fallback\nc: x\nd: ${A}\ne: ""\n',
        '---\nmetadata:\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\nf: ${A}\n',
      ].join(''),
    );
  });
});
