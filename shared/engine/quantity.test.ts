import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuantity, quantitiesEqual } from './quantity.ts';

describe('quantities', () => {
  const equal: [string | number, string | number][] = [
    ['1000m', '1'],
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1Gi', '1024Mi'],
    ['1000M', '1G'],
    ['1e3', '1k'],
    ['.5', '0.5'],
    ['0.1', '100m'],
    [0.1, '100000u'],
    ['1.5Gi', '1536Mi'],
    ['12e-3', '12m'],
    ['0', '0m'],
    ['1Ki', '1024'],
    ['2', 2],
    ['0.125Gi', '128Mi'],
  ];
  for (const [a, b] of equal) it(`${a} = ${b}`, () => assert.ok(quantitiesEqual(a, b)));
  const different: [string, string][] = [
    ['1G', '1Gi'],
    ['1m', '1'],
    ['100Mi', '100M'],
    ['0.1', '0.10000001'],
  ];
  for (const [a, b] of different) it(`${a} != ${b}`, () => assert.ok(!quantitiesEqual(a, b)));
  it('exact canonical text, no float rounding', () => {
    assert.equal(canonicalQuantity('1Gi'), '1073741824');
    assert.equal(canonicalQuantity('300m'), '0.3');
    assert.equal(canonicalQuantity('1n'), '0.000000001');
    assert.equal(canonicalQuantity('8Ei'), '9223372036854775808');
    assert.equal(canonicalQuantity('-1'), '-1');
  });
  it('non-quantities are null', () => {
    for (const x of ['abc', '1 Gi', '1Gb', '', '1e99999', 'Infinity'])
      assert.equal(canonicalQuantity(x), null);
    assert.equal(canonicalQuantity(Number.NaN), null);
  });
});
