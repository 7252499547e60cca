import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { glob } from './glob.ts';

test('a glob without * matches only itself; * matches any run, none included', () => {
  assert.equal(glob('web', 'web'), true);
  assert.equal(glob('web', 'web-1'), false);
  assert.equal(glob('web-*', 'web-'), true);
  assert.equal(glob('apps/*.yaml', 'apps/a/b.yaml'), true);
  assert.equal(glob('*.yaml', 'a.yml'), false);
});

test('regular-expression characters in a glob are literal', () => {
  assert.equal(glob('a.b*', 'a.bc'), true);
  assert.equal(glob('a.b*', 'axbc'), false);
  assert.equal(glob('(x)+*', '(x)+y'), true);
});
