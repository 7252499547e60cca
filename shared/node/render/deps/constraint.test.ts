// Helm's constraint syntax (Masterminds/semver) as Chart.yaml dependencies write it: which version a
// repository's list resolves to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highestMatch, parseConstraint } from './constraint.ts';

const OFFERED = [
  '0.0.3',
  '0.0.4',
  '0.2.3',
  '0.2.9',
  '0.3.0',
  '1.0.0',
  '1.1.0',
  '1.2.3',
  '1.2.9',
  '1.3.0',
  '2.0.0',
  '2.1.0-rc.1',
  'junk',
];

function pick(constraint: string, offered = OFFERED): string | null {
  const c = parseConstraint(constraint);
  assert.ok(c, `${constraint} parses`);
  return highestMatch(c, offered);
}

describe('chart dependency version constraints', () => {
  it('picks the newest version each operator allows', () => {
    const cases: [string, string | null][] = [
      ['1.2.3', '1.2.3'],
      ['=1.1.0', '1.1.0'],
      ['v1.2.3', '1.2.3'],
      ['1.2', '1.2.9'],
      ['1.x', '1.3.0'],
      ['1.2.x', '1.2.9'],
      ['*', '2.0.0'],
      ['', '2.0.0'],
      ['^1.0.0', '1.3.0'],
      ['^1.2', '1.3.0'],
      ['^0.2.3', '0.2.9'],
      ['^0.0.3', '0.0.3'],
      ['~1.2.3', '1.2.9'],
      ['~1.2', '1.2.9'],
      ['~1', '1.3.0'],
      ['>= 1.0, < 1.2', '1.1.0'],
      ['>=1.0.0 <1.2.0', '1.1.0'],
      ['>1.2', '2.0.0'],
      ['<=1.2', '1.2.9'],
      ['>1.2.3 <2', '1.3.0'],
      ['!=2.0.0', '1.3.0'],
      ['1.0.0 - 1.2.3', '1.2.3'],
      ['^3.0.0 || ~1.2', '1.2.9'],
      ['>=3.0.0', null],
    ];
    for (const [c, want] of cases) assert.equal(pick(c), want, c);
  });

  it('takes pre-releases only when the constraint names one', () => {
    assert.equal(pick('>=2.0.0'), '2.0.0');
    assert.equal(pick('>=2.1.0-rc.0'), '2.1.0-rc.1');
  });

  it('refuses what is not a constraint', () => {
    for (const bad of ['latest', '>>1', '1.2.3.4.5', '^', 'a.b'])
      assert.equal(parseConstraint(bad), null, bad);
  });
});
