// The drift browser's whole state and its transitions, as a pure reducer: views render it, the
// input hook turns key presses into actions, and data fetching lives elsewhere.
import { ROOT, pop, push, replaceTop, top, type NavStack } from './nav.ts';
import { nextSort, type SortKey } from './list.ts';
import type { Command, Context } from './keymap.ts';
import { runColon } from './colon.ts';
import { erase, nextStep, openPrompt, typeInto, type WaivePrompt } from './prompt.ts';

/** `waived`: active drifts under a waiver (`kubectl driftguard get` shows them as STATUS waived). */
export type RecordMode = 'active' | 'resolved' | 'waived';

export interface UiState {
  stack: NavStack;
  mode: RecordMode;
  sort: SortKey;
  filter: string;
  filterEditing: boolean;
  /** null = all namespaces. */
  namespace: string | null;
  /**
   * Whose records (`:cluster`, `ui --cluster/--all-clusters`): null = the agent's own cluster, a
   * name = that cluster's, `*` = every cluster's (agents sharing the agent's database).
   */
  cluster: string | null;
  cursor: number;
  overlay: 'none' | 'help' | 'picker' | 'waivers';
  /** The row under the cursor in `:waivers`. */
  waiverCursor: number;
  /** The waiver `u` asks to revoke, until y or n. */
  revoking: string | null;
  pickerCursor: number;
  detailScroll: number;
  quit: boolean;
  /** The `:` command line being typed, or null. */
  command: string | null;
  /** The `w` questions being answered, or null. */
  prompt: WaivePrompt | null;
  /** `:kind` (a Kind) and `:source` choices; null = every one. */
  kind: string | null;
  source: string | null;
  /** Feedback of the last `:` command or key (an unknown command, how to quit), until the next key. */
  message: { text: string; ok: boolean } | null;
}

export function initialState(namespace?: string, cluster?: string): UiState {
  return {
    stack: ROOT,
    mode: 'active',
    sort: 'severity',
    filter: '',
    filterEditing: false,
    namespace: namespace ?? null,
    cluster: cluster ?? null,
    cursor: 0,
    overlay: 'none',
    pickerCursor: 0,
    waiverCursor: 0,
    revoking: null,
    detailScroll: 0,
    quit: false,
    command: null,
    prompt: null,
    kind: null,
    source: null,
    message: null,
  };
}

/** What the reducer needs to know about the screen it cannot compute itself. */
export interface ViewFacts {
  /** Rows in the list after filter and sort. */
  listLength: number;
  /** The resource id under the cursor, if any. */
  selectedId: string | null;
  /** The namespace picker's choices (null = all). */
  choices: readonly (string | null)[];
  /** Lines the detail view has, and how many fit on screen. */
  detailLength: number;
  pageSize: number;
  /** The ids of `:waivers`'s rows, in order. */
  waiverIds?: readonly string[];
}

export type Action = { type: 'command'; command: Command } | { type: 'text'; text: string };

export function contextOf(s: UiState): Context {
  if (s.prompt !== null) return 'prompt';
  if (s.command !== null) return 'command';
  if (s.filterEditing) return 'filter';
  if (s.overlay === 'help') return 'help';
  if (s.overlay === 'picker') return 'picker';
  if (s.overlay === 'waivers') return s.revoking !== null ? 'revoke' : 'waivers';
  const page = top(s.stack);
  if (page.view === 'diff') return page.confirm ? 'confirm' : 'diff';
  return page.view;
}

const clamp = (n: number, max: number): number => Math.max(0, Math.min(n, Math.max(0, max - 1)));

export function reduce(state: UiState, action: Action, f: ViewFacts): UiState {
  const s = state.message ? { ...state, message: null } : state;
  if (action.type === 'text') {
    if (s.prompt !== null) return { ...s, prompt: typeInto(s.prompt, action.text) };
    if (s.command !== null) return { ...s, command: s.command + action.text };
    return { ...s, filter: s.filter + action.text, cursor: 0 };
  }
  const context = contextOf(s);
  switch (action.command) {
    case 'command':
      return { ...s, command: '' };
    case 'commandCancel':
      return { ...s, command: null };
    case 'commandBackspace':
      return { ...s, command: [...(s.command ?? '')].slice(0, -1).join('') };
    case 'commandRun':
      return runColon({ ...s, command: null }, s.command ?? '');
    case 'waive':
      return openWaive(s, context, f);
    case 'unwaive': {
      const id = f.waiverIds?.[s.waiverCursor];
      return id ? { ...s, revoking: id } : s;
    }
    case 'confirmRevoke':
      return { ...s, revoking: null };
    case 'promptNext':
      return s.prompt ? { ...s, ...nextStep(s.prompt) } : s;
    case 'promptCancel':
      return { ...s, prompt: null, message: { text: 'no waiver made', ok: true } };
    case 'promptBackspace':
      return s.prompt ? { ...s, prompt: erase(s.prompt) } : s;
    case 'filter':
      return { ...s, filterEditing: true };
    case 'filterDone':
      return { ...s, filterEditing: false };
    case 'filterClear':
      return { ...s, filterEditing: false, filter: '', cursor: 0 };
    case 'filterBackspace':
      return { ...s, filter: [...s.filter].slice(0, -1).join(''), cursor: 0 };
    case 'sort':
      return { ...s, sort: nextSort(s.sort), cursor: 0 };
    case 'toggle':
      return { ...s, mode: s.mode === 'active' ? 'resolved' : 'active', cursor: 0 };
    case 'namespace':
      return { ...s, overlay: 'picker', pickerCursor: Math.max(0, f.choices.indexOf(s.namespace)) };
    case 'help':
      return { ...s, overlay: s.overlay === 'help' ? 'none' : 'help' };
    case 'open':
      return open(s, f);
    case 'back':
      return back(s, context);
    case 'quit':
      return { ...s, quit: true };
    case 'analyze':
    case 'adopt':
    case 'ignore':
      return s;
    case 'diff':
    case 'revert':
      return openDiff(s, context, f, action.command === 'revert');
    case 'confirm':
    case 'confirmForce':
      // The revert itself is an effect (input.ts); the page drops back to the diff so it runs once.
      return confirmed(s);
    default:
      return move(s, action.command, context, f);
  }
}

function open(s: UiState, f: ViewFacts): UiState {
  if (s.overlay === 'picker') {
    const chosen = f.choices[s.pickerCursor];
    return { ...s, overlay: 'none', namespace: chosen === undefined ? s.namespace : chosen, cursor: 0 };
  }
  if (!f.selectedId) return s;
  return { ...s, stack: push(s.stack, { view: 'detail', resourceId: f.selectedId }), detailScroll: 0 };
}

/** `d` and `R`: the diff of the drift under the cursor (list) or on screen (detail, diff). */
function openDiff(s: UiState, context: Context, f: ViewFacts, confirm: boolean): UiState {
  const page = top(s.stack);
  if (page.view === 'diff')
    return { ...s, stack: replaceTop(s.stack, { ...page, confirm: confirm || page.confirm }) };
  const id = page.view === 'detail' ? page.resourceId : context === 'list' ? f.selectedId : null;
  if (!id) return s;
  return { ...s, stack: push(s.stack, { view: 'diff', resourceId: id, confirm }), detailScroll: 0 };
}

/** `w`: ask how long and why for the drift under the cursor (list) or on screen (detail). */
function openWaive(s: UiState, context: Context, f: ViewFacts): UiState {
  const page = top(s.stack);
  const id = page.view === 'detail' ? page.resourceId : context === 'list' ? f.selectedId : null;
  return id ? { ...s, prompt: openPrompt(id) } : s;
}

function confirmed(s: UiState): UiState {
  const page = top(s.stack);
  if (page.view !== 'diff') return s;
  return { ...s, stack: replaceTop(s.stack, { ...page, confirm: false }) };
}

function back(s: UiState, context: Context): UiState {
  if (context === 'revoke') return { ...s, revoking: null, message: { text: 'waiver kept', ok: true } };
  if (context === 'help' || context === 'picker' || context === 'waivers') return { ...s, overlay: 'none' };
  if (context === 'list') {
    // Esc undoes, as in k9s: the filter first, then the :ns/:kind/:source choices. It never quits
    // (a stray Esc would end the session, and the demo's cluster with it).
    if (s.filter) return { ...s, filter: '', cursor: 0 };
    if (s.kind !== null || s.source !== null || s.namespace !== null)
      return { ...s, kind: null, source: null, namespace: null, cursor: 0 };
    return { ...s, message: { text: 'nothing to clear; quit with q, :q or Ctrl-C', ok: true } };
  }
  return { ...s, stack: pop(s.stack), detailScroll: 0 };
}

type Move = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

function step(command: Move, page: number, length: number): (n: number) => number {
  const by = { up: -1, down: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity }[command];
  return (n) => {
    const next = n + by;
    return Number.isFinite(next) ? next : by < 0 ? 0 : length - 1;
  };
}

function move(s: UiState, command: Move, context: Context, f: ViewFacts): UiState {
  const page = Math.max(1, f.pageSize);
  if (context === 'picker') {
    return {
      ...s,
      pickerCursor: clamp(step(command, page, f.choices.length)(s.pickerCursor), f.choices.length),
    };
  }
  if (context === 'waivers') {
    const n = f.waiverIds?.length ?? 0;
    return { ...s, waiverCursor: clamp(step(command, page, n)(s.waiverCursor), n) };
  }
  if (context === 'detail' || context === 'diff' || context === 'confirm') {
    const maxScroll = Math.max(0, f.detailLength - page + 1);
    return { ...s, detailScroll: clamp(step(command, page, maxScroll)(s.detailScroll), maxScroll) };
  }
  if (context === 'list')
    return { ...s, cursor: clamp(step(command, page, f.listLength)(s.cursor), f.listLength) };
  return s;
}
