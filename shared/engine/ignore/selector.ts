// Label selectors in kubectl's `-l` syntax, which ignore rules take as `selector:`:
//   app=web, tier!=db, env in (prod, staging), release notin (canary), team, !legacy
// Every requirement must hold. Parsed once per rule; a wrong one is a config error naming it.

export type Requirement =
  { key: string; op: 'exists' | 'absent' } | { key: string; op: 'in' | 'notin'; values: readonly string[] };

export type LabelSelector = readonly Requirement[];

export class SelectorSyntaxError extends Error {
  constructor(text: string, problem: string) {
    super(`${problem} in selector ${JSON.stringify(text)}`);
    this.name = 'SelectorSyntaxError';
  }
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses. */
function requirements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

function key(text: string, k: string): string {
  if (!KEY.test(k)) throw new SelectorSyntaxError(text, `${JSON.stringify(k)} is not a label key`);
  return k;
}

function values(text: string, list: string): string[] {
  const vs = list.split(',').map((v) => v.trim());
  for (const v of vs)
    if (!VALUE.test(v)) throw new SelectorSyntaxError(text, `${JSON.stringify(v)} is not a label value`);
  return vs;
}

function requirement(text: string, part: string): Requirement {
  if (part === '') throw new SelectorSyntaxError(text, 'an empty requirement');
  if (part.startsWith('!')) return { key: key(text, part.slice(1).trim()), op: 'absent' };
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set)
    return { key: key(text, set[1] ?? ''), op: set[2] as 'in' | 'notin', values: values(text, set[3] ?? '') };
  const eq = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
  if (eq) {
    const [, k = '', op, v = ''] = eq;
    return { key: key(text, k), op: op === '!=' ? 'notin' : 'in', values: values(text, v) };
  }
  if (/[\s()=!]/.test(part))
    throw new SelectorSyntaxError(
      text,
      `cannot read ${JSON.stringify(part)} (key=value, key!=value, key in (a,b), key, !key)`,
    );
  return { key: key(text, part), op: 'exists' };
}

export function parseSelector(text: string): LabelSelector {
  if (text.trim() === '') throw new SelectorSyntaxError(text, 'nothing to select on');
  return requirements(text).map((part) => requirement(text, part));
}

/** The message of a selector's syntax error, or null when it parses. */
export function selectorProblem(text: string): string | null {
  try {
    parseSelector(text);
    return null;
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return e.message;
    throw e;
  }
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.every((r) => {
    const v = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists':
        return v !== undefined;
      case 'absent':
        return v === undefined;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
    }
  });
}
