import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BINDINGS, hintBar, resolveKey, type Context } from './keymap.ts';

test('keys mean different things per context', () => {
  assert.deepEqual(resolveKey('list', { input: 's' }), { command: 'sort' });
  assert.deepEqual(resolveKey('list', { input: '', return: true }), { command: 'open' });
  assert.deepEqual(resolveKey('list', { input: 'q' }), { command: 'quit' });
  assert.deepEqual(resolveKey('detail', { input: 'q' }), { command: 'back' });
  assert.deepEqual(resolveKey('detail', { input: 's' }), null);
  assert.deepEqual(resolveKey('list', { input: '', downArrow: true }), { command: 'down' });
  assert.deepEqual(resolveKey('picker', { input: '', return: true }), { command: 'open' });
});

test('while filtering, letters are text, not commands', () => {
  assert.deepEqual(resolveKey('filter', { input: 's' }), { text: 's' });
  assert.deepEqual(resolveKey('filter', { input: 'q' }), { text: 'q' });
  assert.deepEqual(resolveKey('filter', { input: '', escape: true }), { command: 'filterClear' });
  assert.deepEqual(resolveKey('filter', { input: '', backspace: true }), { command: 'filterBackspace' });
  assert.deepEqual(resolveKey('filter', { input: 'c', ctrl: true }), null);
});

test('no key is bound twice in one context', () => {
  const contexts: Context[] = ['list', 'detail', 'help', 'picker', 'filter'];
  for (const ctx of contexts) {
    const keys = BINDINGS.filter((b) => b.contexts.includes(ctx)).flatMap((b) => [
      ...(b.inputs ?? []),
      ...(b.specials ?? []),
    ]);
    assert.equal(new Set(keys).size, keys.length, `duplicate key in ${ctx}: ${keys.join(' ')}`);
  }
});

test('the hint bar fits the width on one line and keeps help and quit longest', () => {
  for (const width of [120, 80, 40, 20]) {
    const bar = hintBar('list', width);
    assert.ok(bar.length <= width, `${width}: ${bar}`);
    assert.ok(!bar.includes('\n'));
  }
  assert.match(hintBar('list', 80), /\? help.*q quit/);
  assert.match(hintBar('list', 80), /a analyze/);
  assert.match(hintBar('list', 40), /\? help/);
  assert.doesNotMatch(hintBar('list', 40), /analyze/);
});
