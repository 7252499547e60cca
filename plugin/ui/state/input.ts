// From key presses to state. A terminal can deliver several typed characters in one read (fast
// typing, tmux send-keys, a paste): Ink then reports them as one `input` string, so it is split
// back into single presses, each resolved in the context the previous one left behind
// ("/web" = open the filter, then type "web").
import { resolveKey, type KeyPress } from './keymap.ts';
import { top } from './nav.ts';
import { contextOf, reduce, type UiState, type ViewFacts } from './ui-state.ts';

/**
 * What a key asks of the world: an analysis, the revert of the resource on the confirmation page,
 * the adoption of the drift under the cursor (list) or on screen, an ignore rule for the drift on screen,
 * the waiver the `w` questions were answered for, or the revocation `u` was confirmed for.
 */
export type Effect =
  | 'analyze'
  | { revert: string; force: boolean }
  | { adopt: string }
  | { ignore: string }
  | { waive: { resourceId: string; for: string; reason: string } }
  | { unwaive: string };

const NAMED = [
  'upArrow',
  'downArrow',
  'pageUp',
  'pageDown',
  'home',
  'end',
  'return',
  'escape',
  'backspace',
  'delete',
  'ctrl',
  'meta',
] as const;

export function splitPress(press: KeyPress): KeyPress[] {
  const chars = [...press.input];
  if (chars.length <= 1 || NAMED.some((k) => press[k] === true)) return [press];
  // Enter and Backspace typed in the same read as text (`:ns shop⏎` pasted) keep their meaning.
  return chars.map((input) =>
    input === '\r' || input === '\n'
      ? { input: '', return: true }
      : input === '\x7f' || input === '\b'
        ? { input: '', backspace: true }
        : { input },
  );
}

export function applyPress(
  state: UiState,
  press: KeyPress,
  facts: ViewFacts,
): { state: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  let s = state;
  for (const p of splitPress(press)) {
    const resolved = resolveKey(contextOf(s), p);
    if (!resolved) continue;
    if ('text' in resolved) s = reduce(s, { type: 'text', text: resolved.text }, facts);
    else if (resolved.command === 'analyze') effects.push('analyze');
    else if (resolved.command === 'ignore') {
      const page = top(s.stack);
      if (page.view === 'detail') effects.push({ ignore: page.resourceId });
    } else if (resolved.command === 'adopt') {
      const page = top(s.stack);
      const id = page.view === 'list' ? facts.selectedId : page.resourceId;
      if (id) effects.push({ adopt: id });
    } else {
      const page = top(s.stack);
      const force = resolved.command === 'confirmForce';
      if ((resolved.command === 'confirm' || force) && page.view === 'diff' && page.confirm)
        effects.push({ revert: page.resourceId, force });
      if (resolved.command === 'confirmRevoke' && s.revoking !== null) effects.push({ unwaive: s.revoking });
      const asked = s.prompt;
      s = reduce(s, { type: 'command', command: resolved.command }, facts);
      // Both questions answered: the prompt closed without an error.
      if (resolved.command === 'promptNext' && asked?.step === 'reason' && s.prompt === null)
        effects.push({
          waive: { resourceId: asked.resourceId, for: asked.for, reason: asked.reason.trim() },
        });
    }
  }
  return { state: s, effects };
}
