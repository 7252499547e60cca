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

test('Esc on the list clears the filter, then :ns/:kind/:source, and never quits; q quits', () => {
  const filtered = { ...initialState('shop'), filter: 'web', kind: 'Deployment' };
  const once = run(filtered, 'back');
  assert.equal(once.filter, '');
  assert.equal(once.kind, 'Deployment');
  const twice = run(once, 'back');
  assert.deepEqual([twice.kind, twice.namespace, twice.source], [null, null, null]);
  const thrice = run(twice, 'back');
  assert.equal(thrice.quit, false);
  assert.match(thrice.message?.text ?? '', /quit with q, :q or Ctrl-C/);
  assert.equal(run(thrice, 'back', 'back', 'back').quit, false);
  assert.equal(run(filtered, 'quit').quit, true);
});

/** Types `:line` and Enter, as the keys do. */
const colon = (s: UiState, line: string): UiState =>
  run(reduce(run(s, 'command'), { type: 'text', text: line }, facts), 'commandRun');

test(':q quits; :ns, :kind (kubectl names, did you mean) and :source narrow; unknown commands say so', () => {
  const s = initialState();
  assert.equal(contextOf(run(s, 'command')), 'command');
  assert.equal(colon(s, 'q').quit, true);
  assert.equal(colon(s, 'quit').quit, true);
  assert.equal(colon(s, 'ns shop').namespace, 'shop');
  assert.equal(colon(colon(s, 'ns shop'), 'ns').namespace, null);
  assert.equal(colon(s, 'kind deploy').kind, 'Deployment');
  assert.equal(colon(s, 'kind deployments.apps').kind, 'Deployment');
  assert.equal(colon(s, 'kind svc').kind, 'Service');
  const typo = colon(s, 'kind deplyment');
  assert.equal(typo.kind, null);
  assert.deepEqual(typo.message, {
    text: ':kind deplyment: unknown kind (did you mean Deployment?)',
    ok: false,
  });
  assert.equal(colon(s, 'source default').source, 'default');
  assert.equal(colon(s, 'sort age').sort, 'age');
  assert.equal(colon(s, 'resolved').mode, 'resolved');
  const unknown = colon(s, 'frobnicate x');
  assert.equal(unknown.quit, false);
  assert.match(unknown.message?.text ?? '', /^unknown command :frobnicate \(commands: :ns NAME, :kind KIND/);
  // Esc leaves the command line without running it; the next key clears the feedback.
  const cancelled = run(reduce(run(s, 'command'), { type: 'text', text: 'q' }, facts), 'commandCancel');
  assert.equal(cancelled.quit, false);
  assert.equal(contextOf(cancelled), 'list');
  assert.equal(run(unknown, 'down').message, null);
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

test(':cluster NAME, :cluster all and :cluster alone choose whose records; a bad name is refused', () => {
  const s = initialState();
  assert.equal(s.cluster, null, "the agent's own cluster by default");
  assert.equal(initialState(undefined, '*').cluster, '*', 'ui --all-clusters');
  const east = colon(s, 'cluster east');
  assert.equal(east.cluster, 'east');
  assert.deepEqual(east.message, { text: 'cluster east', ok: true });
  assert.equal(colon(s, 'cluster all').cluster, '*');
  assert.equal(colon(s, 'cluster *').cluster, '*');
  assert.equal(colon(s, 'cl -A').cluster, '*');
  assert.equal(colon(east, 'cluster').cluster, null);
  const bad = colon(east, 'cluster East_1');
  assert.equal(bad.cluster, 'east', 'unchanged');
  assert.deepEqual(bad.message, {
    text: ':cluster East_1: expected a cluster name (a DNS label) or all',
    ok: false,
  });
});
