import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPress, splitPress } from './input.ts';
import { contextOf, initialState, type ViewFacts } from './ui-state.ts';

const facts: ViewFacts = {
  listLength: 3,
  selectedId: 'Deployment:shop:web',
  choices: [null],
  detailLength: 0,
  pageSize: 10,
};

test('characters that arrive in one read are pressed one by one, each in the context the last left', () => {
  const { state, effects } = applyPress(initialState(), { input: '/web' }, facts);
  assert.equal(state.filter, 'web');
  assert.equal(contextOf(state), 'filter');
  assert.deepEqual(effects, []);
  const more = applyPress(initialState(), { input: 'sa' }, facts);
  assert.equal(more.state.sort, 'age');
  assert.deepEqual(more.effects, ['analyze']);
});

test('a command line pasted with its Enter runs (Enter inside a read is still Enter)', () => {
  const { state } = applyPress(initialState(), { input: ':ns shop\r' }, facts);
  assert.equal(state.namespace, 'shop');
  assert.equal(contextOf(state), 'list');
  const fixed = applyPress(initialState(), { input: ':nss\x7f shop\r' }, facts);
  assert.equal(fixed.state.namespace, 'shop');
});

test('named keys are never split', () => {
  assert.deepEqual(splitPress({ input: '[A', upArrow: true }), [{ input: '[A', upArrow: true }]);
  assert.deepEqual(splitPress({ input: 'x' }), [{ input: 'x' }]);
});

test('A adopts the drift under the cursor, or the one on screen, and changes no page', () => {
  const fromList = applyPress(initialState(), { input: 'A' }, facts);
  assert.deepEqual(fromList.effects, [{ adopt: 'Deployment:shop:web' }]);
  assert.equal(contextOf(fromList.state), 'list');
  const opened = applyPress(initialState(), { input: '', return: true }, facts).state;
  const fromDetail = applyPress(opened, { input: 'A' }, { ...facts, selectedId: 'Service:shop:other' });
  assert.deepEqual(fromDetail.effects, [{ adopt: 'Deployment:shop:web' }]);
  assert.equal(contextOf(fromDetail.state), 'detail');
  assert.deepEqual(applyPress(initialState(), { input: 'A' }, { ...facts, selectedId: null }).effects, []);
});
