// The browser's `w`: the key opens two questions on the status line, a bad duration is caught where
// it was typed, an empty reason is refused, Esc makes nothing, and only a full answer asks for a waiver.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPress } from './input.ts';
import { hintBar, resolveKey } from './keymap.ts';
import { promptLine } from './prompt.ts';
import { statusLine } from '../views/status.ts';
import { contextOf, initialState, type UiState, type ViewFacts } from './ui-state.ts';

const facts: ViewFacts = {
  listLength: 3,
  selectedId: 'Deployment:shop:web',
  choices: [null],
  detailLength: 0,
  pageSize: 10,
};
const ENTER = { input: '', return: true };

const press = (s: UiState, ...keys: ({ input: string } & Record<string, unknown>)[]) =>
  keys.reduce(
    (acc, k) => {
      const next = applyPress(acc.state, k, facts);
      return { state: next.state, effects: [...acc.effects, ...next.effects] };
    },
    { state: s, effects: [] as ReturnType<typeof applyPress>['effects'] },
  );

test('w asks how long, then why, and a full answer is one waiver of the drift under the cursor', () => {
  let r = press(initialState(), { input: 'w' });
  assert.equal(contextOf(r.state), 'prompt');
  assert.ok(r.state.prompt);
  assert.equal(promptLine(r.state.prompt), 'waive Deployment:shop:web for how long (7d, 12h, 30m)? ▏');
  // Typed in one read, as tmux send-keys delivers it; `s`, `q` and `a` are text here, not keys.
  r = press(r.state, { input: '7d' }, ENTER, { input: 'load test, ask sam' });
  assert.ok(r.state.prompt);
  assert.equal(promptLine(r.state.prompt), 'waive Deployment:shop:web for 7d, because: load test, ask sam▏');
  assert.equal(r.state.sort, 'severity');
  assert.deepEqual(r.effects, []);
  r = press(r.state, ENTER);
  assert.deepEqual(r.effects, [
    { waive: { resourceId: 'Deployment:shop:web', for: '7d', reason: 'load test, ask sam' } },
  ]);
  assert.equal(contextOf(r.state), 'list');
  assert.equal(r.state.quit, false);
});

test('a duration that is not one is refused where it was typed; an empty reason too', () => {
  let r = press(initialState(), { input: 'w7' }, ENTER);
  assert.equal(r.state.prompt?.step, 'for');
  assert.equal(r.state.prompt?.for, '');
  assert.match(r.state.message?.text ?? '', /--for 7: expected a duration such as 7d/);
  // On the status line until the next key, which brings the question back.
  const line = (st: UiState) =>
    statusLine({
      prompt: st.prompt ? promptLine(st.prompt) : null,
      message: st.message,
      filterEditing: false,
      filter: '',
      error: null,
      analysis: { phase: 'idle' },
      spinner: '',
      updatedAt: null,
      sort: 'severity',
      namespace: 'all',
    });
  assert.deepEqual(line(r.state), { text: r.state.message?.text, tone: 'error' });
  assert.match(line(press(r.state, { input: '1' }).state).text, /for how long \(7d, 12h, 30m\)\? 1▏$/);
  r = press(r.state, { input: '400d' }, ENTER);
  assert.match(r.state.message?.text ?? '', /at most 366d/);
  r = press(r.state, { input: '12x' }, { input: '', backspace: true }, { input: 'h' }, ENTER);
  assert.equal(r.state.prompt?.step, 'reason');
  r = press(r.state, { input: '  ' }, ENTER);
  assert.equal(r.state.prompt?.step, 'reason');
  assert.match(r.state.message?.text ?? '', /say why/);
  assert.deepEqual(r.effects, []);
});

test('Esc makes no waiver; w in the detail view waives the record on screen; no record, no question', () => {
  const cancelled = press(initialState(), { input: 'w1d' }, { input: '', escape: true });
  assert.equal(cancelled.state.prompt, null);
  assert.equal(contextOf(cancelled.state), 'list');
  assert.equal(cancelled.state.message?.text, 'no waiver made');
  assert.deepEqual(cancelled.effects, []);
  const detail = press(initialState(), ENTER).state;
  assert.equal(contextOf(detail), 'detail');
  const fromDetail = applyPress(detail, { input: 'w' }, { ...facts, selectedId: 'Service:shop:x' });
  assert.equal(fromDetail.state.prompt?.resourceId, 'Deployment:shop:web');
  const empty = applyPress(initialState(), { input: 'w' }, { ...facts, selectedId: null });
  assert.equal(empty.state.prompt, null);
});

test('the key table binds w in the list and detail views, and the prompt has its own hints', () => {
  assert.deepEqual(resolveKey('list', { input: 'w' }), { command: 'waive' });
  assert.deepEqual(resolveKey('detail', { input: 'w' }), { command: 'waive' });
  assert.equal(resolveKey('diff', { input: 'w' }), null);
  assert.deepEqual(resolveKey('prompt', { input: 'w' }), { text: 'w' });
  assert.equal(hintBar('prompt', 80), '⏎ next  esc cancel  ⌫ delete');
});
