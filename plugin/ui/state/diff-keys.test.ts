// `d` and `R` in the browser: pages, contexts and the one revert effect a `y` produces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPress } from './input.ts';
import { top } from './nav.ts';
import { contextOf, initialState, type ViewFacts } from './ui-state.ts';

const facts: ViewFacts = {
  listLength: 2,
  selectedId: 'Deployment:shop:web',
  choices: [null],
  detailLength: 40,
  pageSize: 10,
};
const press = (s: ReturnType<typeof initialState>, input: string, key: { escape?: boolean } = {}) =>
  applyPress(s, { input, ...key }, facts);

test('d opens the diff of the selected drift; q goes back to the list', () => {
  const d = press(initialState(), 'd');
  assert.deepEqual(top(d.state.stack), { view: 'diff', resourceId: 'Deployment:shop:web', confirm: false });
  assert.equal(contextOf(d.state), 'diff');
  assert.deepEqual(d.effects, []);
  assert.equal(press(d.state, 'j').state.detailScroll, 1, 'the diff scrolls');
  assert.equal(contextOf(press(d.state, 'q').state), 'list');
});

test('R asks first; only y reverts, once, and n or esc leave it', () => {
  const asked = press(initialState(), 'R');
  assert.equal(contextOf(asked.state), 'confirm');
  assert.deepEqual(asked.effects, []);
  const yes = press(asked.state, 'y');
  assert.deepEqual(yes.effects, [{ revert: 'Deployment:shop:web', force: false }]);
  assert.deepEqual(press(asked.state, 'F').effects, [{ revert: 'Deployment:shop:web', force: true }]);
  assert.equal(contextOf(yes.state), 'diff', 'after y the page shows the diff again');
  assert.deepEqual(press(yes.state, 'y').effects, [], 'a second y does nothing');
  for (const no of [press(asked.state, 'n'), press(asked.state, '', { escape: true })]) {
    assert.deepEqual(no.effects, []);
    assert.equal(contextOf(no.state), 'list');
  }
  // R from the diff page turns it into the confirmation; from the detail page it opens one.
  const fromDiff = press(press(initialState(), 'd').state, 'R');
  assert.equal(contextOf(fromDiff.state), 'confirm');
});

test('d on an empty list does nothing', () => {
  const r = applyPress(initialState(), { input: 'd' }, { ...facts, listLength: 0, selectedId: null });
  assert.equal(contextOf(r.state), 'list');
});
