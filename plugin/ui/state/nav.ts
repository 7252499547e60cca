// The navigation stack (k9s's page stack): the list at the bottom, views pushed on top, breadcrumbs
// drawn from it.
/** `diff` with `confirm` is the revert confirmation: the diff under a yes/no question. */
export type Page =
  | { view: 'list' }
  | { view: 'detail'; resourceId: string }
  | { view: 'diff'; resourceId: string; confirm: boolean };

export type NavStack = readonly Page[];

export const ROOT: NavStack = [{ view: 'list' }];

export function push(stack: NavStack, page: Page): NavStack {
  return [...stack, page];
}

/** The stack one level up; the root stays (popping it is the caller's "quit"). */
export function pop(stack: NavStack): NavStack {
  return stack.length > 1 ? stack.slice(0, -1) : stack;
}

export function top(stack: NavStack): Page {
  return stack[stack.length - 1] ?? { view: 'list' };
}

/** The stack with its top page replaced. */
export function replaceTop(stack: NavStack, page: Page): NavStack {
  return [...stack.slice(0, -1), page];
}

export function crumbs(stack: NavStack, listLabel: string): string[] {
  return stack.map((p) =>
    p.view === 'list'
      ? listLabel
      : p.view === 'diff'
        ? `${p.confirm ? 'revert' : 'diff'} ${p.resourceId}`
        : p.resourceId,
  );
}
