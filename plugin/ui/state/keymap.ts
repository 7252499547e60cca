// Key bindings as data (k9s's KeyActions): one table decides what a key does in each context and
// also draws the hint bar and the help screen, so the three can never disagree.

/** What a key press looks like to the UI: Ink's (input, key) pair reduced to what we bind. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type Context =
  | 'list'
  | 'detail'
  | 'diff'
  | 'confirm'
  | 'help'
  | 'picker'
  | 'filter'
  | 'command'
  | 'prompt'
  | 'waivers'
  | 'revoke';

export type Command =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'back'
  | 'quit'
  | 'filter'
  | 'sort'
  | 'toggle'
  | 'namespace'
  | 'analyze'
  | 'diff'
  | 'revert'
  | 'adopt'
  | 'ignore'
  | 'waive'
  | 'unwaive'
  | 'confirmRevoke'
  | 'promptNext'
  | 'promptCancel'
  | 'promptBackspace'
  | 'confirm'
  | 'confirmForce'
  | 'help'
  | 'filterDone'
  | 'filterClear'
  | 'filterBackspace'
  | 'command'
  | 'commandRun'
  | 'commandCancel'
  | 'commandBackspace';

type Special =
  | 'upArrow'
  | 'downArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'backspace'
  | 'delete';

export interface Binding {
  /** Characters that trigger it. */
  inputs?: readonly string[];
  /** Named keys that trigger it. */
  specials?: readonly Special[];
  /** How the key is written in the hint bar and help. */
  label: string;
  description: string;
  command: Command;
  contexts: readonly Context[];
  /** Hint-bar rank: lower shows first when the bar is too narrow; absent = help screen only. */
  hint?: number;
  /** Hint-bar word when the command's usual one does not fit the context. */
  short?: string;
}

const BROWSE: readonly Context[] = ['list', 'detail', 'diff', 'confirm', 'picker', 'waivers'];

export const BINDINGS: readonly Binding[] = [
  {
    specials: ['return'],
    label: '⏎',
    description: 'open the drift detail',
    command: 'open',
    contexts: ['list'],
    hint: 2,
  },
  {
    inputs: ['/'],
    label: '/',
    description: 'filter by resource, type or manager',
    command: 'filter',
    contexts: ['list'],
    hint: 1,
  },
  {
    inputs: ['s'],
    label: 's',
    description: 'sort by severity / age / namespace',
    command: 'sort',
    contexts: ['list'],
    hint: 4,
  },
  {
    inputs: ['r'],
    label: 'r',
    description: 'toggle active / resolved drifts (:waived shows the waived ones)',
    command: 'toggle',
    contexts: ['list'],
    hint: 5,
  },
  {
    inputs: ['n'],
    label: 'n',
    description: 'pick a namespace',
    command: 'namespace',
    contexts: ['list'],
    hint: 6,
  },
  {
    inputs: ['a'],
    label: 'a',
    description: 'run an analysis now',
    command: 'analyze',
    contexts: ['list', 'detail'],
    hint: 7,
  },
  {
    inputs: ['d'],
    label: 'd',
    description: 'show the diff of the selected drift (as kubectl driftguard diff)',
    command: 'diff',
    contexts: ['list', 'detail'],
    hint: 9,
  },
  {
    inputs: ['R'],
    label: 'R',
    description: 'revert the selected drift to Git (shows the diff and asks first)',
    command: 'revert',
    contexts: ['list', 'detail', 'diff'],
    hint: 9,
  },
  {
    inputs: ['A'],
    label: 'A',
    description:
      'adopt: write the live values of the selected drift into the checkout you started in (review with git diff)',
    command: 'adopt',
    contexts: ['list', 'detail', 'diff'],
    hint: 10,
  },
  {
    inputs: ['i'],
    label: 'i',
    description:
      'ignore: the narrowest rule for the drifted field at the top of the screen, what it matches now, for the config and the Git annotation',
    command: 'ignore',
    contexts: ['detail'],
    hint: 10,
  },
  {
    inputs: ['w'],
    label: 'w',
    description:
      'waive: accept the selected drift for a while (asks how long and why; as kubectl driftguard waive)',
    command: 'waive',
    contexts: ['list', 'detail'],
    hint: 10,
  },
  {
    specials: ['return'],
    label: '⏎',
    description: 'answer (the duration, then the reason)',
    command: 'promptNext',
    contexts: ['prompt'],
    hint: 1,
  },
  {
    specials: ['escape'],
    label: 'esc',
    description: 'make no waiver',
    command: 'promptCancel',
    contexts: ['prompt'],
    hint: 2,
  },
  {
    specials: ['backspace', 'delete'],
    label: '⌫',
    description: 'delete a character',
    command: 'promptBackspace',
    contexts: ['prompt'],
    hint: 3,
  },
  {
    inputs: ['u'],
    label: 'u',
    description: 'unwaive: revoke the selected waiver (asks first; as kubectl driftguard unwaive)',
    command: 'unwaive',
    contexts: ['waivers'],
    hint: 1,
  },
  {
    inputs: ['y'],
    label: 'y',
    description: 'yes: revoke it (the drift it covered is active again at the next analysis)',
    command: 'confirmRevoke',
    contexts: ['revoke'],
    hint: 1,
    short: 'revoke',
  },
  {
    inputs: ['n', 'q'],
    specials: ['escape'],
    label: 'n/esc',
    description: 'no: keep the waiver',
    command: 'back',
    contexts: ['revoke'],
    hint: 2,
    short: 'keep',
  },
  {
    inputs: ['y'],
    label: 'y',
    description: 'yes: revert it (server-side apply with your kubeconfig)',
    command: 'confirm',
    contexts: ['confirm'],
    hint: 1,
    short: 'revert',
  },
  {
    inputs: ['F'],
    label: 'F',
    description: 'yes, and take over fields other field managers own (--force-conflicts)',
    command: 'confirmForce',
    contexts: ['confirm'],
    hint: 2,
    short: 'force',
  },
  {
    inputs: ['n', 'q'],
    specials: ['escape'],
    label: 'n/esc',
    description: 'no: leave it as it is',
    command: 'back',
    contexts: ['confirm'],
    hint: 2,
    short: 'cancel',
  },
  {
    inputs: ['?'],
    label: '?',
    description: 'show / hide this help',
    command: 'help',
    contexts: ['list', 'detail', 'diff', 'help'],
    hint: 0,
  },
  {
    specials: ['return'],
    label: '⏎',
    description: 'choose the namespace',
    command: 'open',
    contexts: ['picker'],
    hint: 1,
    short: 'choose',
  },
  {
    inputs: ['k'],
    specials: ['upArrow'],
    label: '↑/k',
    description: 'move up',
    command: 'up',
    contexts: BROWSE,
    hint: 8,
  },
  {
    inputs: ['j'],
    specials: ['downArrow'],
    label: '↓/j',
    description: 'move down',
    command: 'down',
    contexts: BROWSE,
    hint: 8,
  },
  { specials: ['pageUp'], label: 'PgUp', description: 'page up', command: 'pageUp', contexts: BROWSE },
  { specials: ['pageDown'], label: 'PgDn', description: 'page down', command: 'pageDown', contexts: BROWSE },
  {
    inputs: ['g'],
    specials: ['home'],
    label: 'g',
    description: 'go to the top',
    command: 'top',
    contexts: BROWSE,
  },
  {
    inputs: ['G'],
    specials: ['end'],
    label: 'G',
    description: 'go to the bottom',
    command: 'bottom',
    contexts: BROWSE,
  },
  {
    inputs: ['q'],
    label: 'q',
    description: 'quit (also :q and Ctrl-C)',
    command: 'quit',
    contexts: ['list'],
    hint: 3,
  },
  {
    specials: ['escape'],
    label: 'esc',
    description: 'clear the filter, then the :ns/:kind/:source choices (never quits)',
    command: 'back',
    contexts: ['list'],
  },
  {
    inputs: [':'],
    label: ':',
    description: 'command line, as in k9s (:ns NAME, :kind KIND, :source NAME, :q; :help lists them)',
    command: 'command',
    contexts: ['list', 'detail', 'diff'],
    hint: 9,
  },
  {
    specials: ['return'],
    label: '⏎',
    description: 'run the command',
    command: 'commandRun',
    contexts: ['command'],
    hint: 1,
  },
  {
    specials: ['escape'],
    label: 'esc',
    description: 'leave the command line',
    command: 'commandCancel',
    contexts: ['command'],
    hint: 2,
  },
  {
    specials: ['backspace', 'delete'],
    label: '⌫',
    description: 'delete a character',
    command: 'commandBackspace',
    contexts: ['command'],
    hint: 3,
  },
  {
    inputs: ['q'],
    specials: ['escape'],
    label: 'q/esc',
    description: 'back',
    command: 'back',
    contexts: ['detail', 'diff', 'help', 'picker', 'waivers'],
    hint: 3,
  },
  {
    specials: ['return'],
    label: '⏎',
    description: 'keep the filter',
    command: 'filterDone',
    contexts: ['filter'],
    hint: 1,
  },
  {
    specials: ['escape'],
    label: 'esc',
    description: 'clear the filter',
    command: 'filterClear',
    contexts: ['filter'],
    hint: 2,
  },
  {
    specials: ['backspace', 'delete'],
    label: '⌫',
    description: 'delete a character',
    command: 'filterBackspace',
    contexts: ['filter'],
    hint: 3,
  },
];

function matches(b: Binding, press: KeyPress): boolean {
  if (b.specials?.some((s) => press[s] === true)) return true;
  if (press.ctrl || press.meta) return false;
  return b.inputs?.includes(press.input) ?? false;
}

export type Resolved = { command: Command } | { text: string } | null;

/** What a key press means in a context: a command, typed filter text, or nothing. */
export function resolveKey(context: Context, press: KeyPress): Resolved {
  const binding = BINDINGS.find((b) => b.contexts.includes(context) && matches(b, press));
  if (binding) return { command: binding.command };
  if (
    (context === 'filter' || context === 'command' || context === 'prompt') &&
    press.input &&
    !press.ctrl &&
    !press.meta &&
    isPrintable(press.input)
  ) {
    return { text: press.input };
  }
  return null;
}

function isPrintable(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f]/.test(text);
}

export function bindingsFor(context: Context): Binding[] {
  return BINDINGS.filter((b) => b.contexts.includes(context));
}

/** The hint bar for a context, one line of at most `width` characters; the least important hints drop first. */
export function hintBar(context: Context, width: number): string {
  const hints = bindingsFor(context)
    .filter((b) => b.hint !== undefined)
    .map((b) => ({ rank: b.hint ?? 99, text: `${b.label} ${shortName(b)}` }));
  // Hints sharing a rank (↑/k and ↓/j) go together.
  let shown = hints;
  while (shown.length > 0 && joinHints(shown).length > width) {
    const worst = Math.max(...shown.map((h) => h.rank));
    shown = shown.filter((h) => h.rank !== worst);
  }
  return joinHints(shown).slice(0, Math.max(0, width));
}

function joinHints(hints: readonly { text: string }[]): string {
  return hints.map((h) => h.text).join('  ');
}

const SHORT: Partial<Record<Command, string>> = {
  open: 'open',
  filter: 'filter',
  sort: 'sort',
  toggle: 'active/resolved',
  namespace: 'ns',
  analyze: 'analyze',
  diff: 'diff',
  revert: 'revert',
  ignore: 'ignore',
  waive: 'waive',
  unwaive: 'unwaive',
  promptNext: 'next',
  promptCancel: 'cancel',
  promptBackspace: 'delete',
  help: 'help',
  up: 'up',
  down: 'down',
  quit: 'quit',
  back: 'back',
  filterDone: 'keep',
  filterClear: 'clear',
  filterBackspace: 'delete',
  command: 'cmd',
  commandRun: 'run',
  commandCancel: 'cancel',
  commandBackspace: 'delete',
};

/** The `:` commands, k9s style: names (first is the one shown), what they take, what they do. */
export interface ColonCommand {
  names: readonly string[];
  usage: string;
  description: string;
}

export const COLON_COMMANDS: readonly ColonCommand[] = [
  {
    names: ['ns', 'namespace'],
    usage: ':ns NAME',
    description: 'only this namespace (:ns alone or :ns all: every one)',
  },
  {
    names: ['kind', 'k'],
    usage: ':kind KIND',
    description: 'only this kind: deploy, svc, cm… (:kind alone: every kind)',
  },
  {
    names: ['cluster', 'cl'],
    usage: ':cluster NAME',
    description:
      "another cluster's records in the agent's database (:cluster all: every cluster; :cluster alone: the agent's own)",
  },
  {
    names: ['source', 'src'],
    usage: ':source NAME',
    description: 'only records of this source (:source alone: every one)',
  },
  { names: ['sort'], usage: ':sort severity|age|namespace', description: 'sort the list' },
  { names: ['active'], usage: ':active', description: 'show active drifts' },
  { names: ['resolved'], usage: ':resolved', description: 'show resolved drifts' },
  {
    names: ['waived'],
    usage: ':waived',
    description: 'show waived drifts (active drifts a waiver accepts until it expires)',
  },
  {
    names: ['waivers'],
    usage: ':waivers',
    description: 'list the waivers (owner, reason, expiry, scope); u revokes one',
  },
  { names: ['help', 'h', '?'], usage: ':help', description: 'show the keys and commands' },
  { names: ['q', 'q!', 'quit', 'exit'], usage: ':q', description: 'quit' },
];

export function colonCommand(name: string): ColonCommand | null {
  return COLON_COMMANDS.find((c) => c.names.includes(name.toLowerCase())) ?? null;
}

function shortName(b: Binding): string {
  return b.short ?? SHORT[b.command] ?? b.description;
}
