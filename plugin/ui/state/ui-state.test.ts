import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from './keymap.ts';
import { contextOf, initialState, reduce, type UiState, type ViewFacts } from './ui-state.ts';

const facts: ViewFacts = {
  listLength: 3,
  selectedId: 'Deployment:shop:web',
  choices: [null, 'billing', 'shop'],
  detailLength: 30,
  pageSize: 10,
};
const run = (s: UiState, ...commands: Command[]): UiState =>
  commands.reduce((acc, command) => reduce(acc, { type: 'command', command }, facts), s);

test('filter: / starts typing, text appends, Enter keeps it, Esc clears it', () => {
  let s = run(initialState(), 'filter');
  assert.equal(contextOf(s), 'filter');
  s = reduce(s, { type: 'text', text: 'we' }, facts);
  s = reduce(s, { type: 'text', text: 'bx' }, facts);
  s = run(s, 'filterBackspace', 'filterDone');
  assert.equal(s.filter, 'web');
  assert.equal(contextOf(s), 'list');
  assert.equal(run(s, 'filter', 'filterClear').filter, '');
});

test('Esc on the list clears a filter first, then quits; q quits at once', () => {
  const filtered = { ...initialState(), filter: 'web' };
  const once = run(filtered, 'back');
  assert.equal(once.filter, '');
  assert.equal(once.quit, false);
  assert.equal(run(once, 'back').quit, true);
  assert.equal(run(filtered, 'quit').quit, true);
});

test('Enter opens the selected record; back returns to the list without quitting', () => {
  const s = run(initialState(), 'open');
  assert.equal(contextOf(s), 'detail');
  assert.deepEqual(s.stack.at(-1), { view: 'detail', resourceId: 'Deployment:shop:web' });
  const b = run(s, 'back');
  assert.equal(contextOf(b), 'list');
  assert.equal(b.quit, false);
  assert.equal(
    reduce(initialState(), { type: 'command', command: 'open' }, { ...facts, selectedId: null }).stack.length,
    1,
  );
});

test('cursor moves stay inside the list; detail scroll stays inside the text', () => {
  assert.equal(run(initialState(), 'down', 'down', 'down', 'down').cursor, 2);
  assert.equal(run(initialState(), 'up').cursor, 0);
  assert.equal(run(initialState(), 'bottom').cursor, 2);
  const d = run(initialState(), 'open', 'pageDown', 'pageDown', 'pageDown');
  assert.equal(d.detailScroll, 20);
  assert.equal(run(d, 'top').detailScroll, 0);
});

test('s cycles the sort, r toggles active/resolved, both reset the cursor', () => {
  const s = run({ ...initialState(), cursor: 2 }, 'sort');
  assert.equal(s.sort, 'age');
  assert.equal(s.cursor, 0);
  assert.equal(run(initialState(), 'toggle').mode, 'resolved');
  assert.equal(run(initialState(), 'toggle', 'toggle').mode, 'active');
});

test('n opens the picker at the current namespace; Enter chooses, Esc keeps the old one', () => {
  let s = run(initialState('billing'), 'namespace');
  assert.equal(contextOf(s), 'picker');
  assert.equal(s.pickerCursor, 1);
  s = run(s, 'down', 'open');
  assert.equal(s.namespace, 'shop');
  assert.equal(contextOf(s), 'list');
  assert.equal(run(initialState('billing'), 'namespace', 'top', 'back').namespace, 'billing');
  assert.equal(run(initialState('billing'), 'namespace', 'top', 'open').namespace, null);
});

test('? toggles help over the current view', () => {
  const s = run(initialState(), 'open', 'help');
  assert.equal(contextOf(s), 'help');
  assert.equal(contextOf(run(s, 'help')), 'detail');
  assert.equal(contextOf(run(s, 'back')), 'detail');
});
