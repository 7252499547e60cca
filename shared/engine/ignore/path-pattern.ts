// The field paths ignore rules are written in: the paths drift details show, plus ways to pick list
// items that are not known by key when the rule is written.
//   spec.replicas
//   metadata.labels["app.kubernetes.io/name"]          a quoted map key
//   spec.template.spec.containers[name=istio-proxy]    an item by its key (or any field of it)
//   spec.template.spec.containers[image=*/proxyv2:*]   an item by content (`*` globs a value)
//   webhooks[*].clientConfig.caBundle                  every item
//   metadata.annotations.sidecar.istio.io/*            `*` globs a field name too
// A pattern names a field and everything under it. The parser rejects what it cannot read with
// the character it stopped at, so a bad rule is a config error, never a rule that silently matches nothing.
import type { JsonValue } from '../../types.ts';
import { glob } from '../glob.ts';
import { isObject } from '../json.ts';
import type { Segment } from '../path.ts';

/** One condition of an item selector: `key=value`, the value a glob. */
export interface ItemCondition {
  key: string;
  value: string;
}

export type PatternSegment = { field: string } | { anyItem: true } | { where: readonly ItemCondition[] };

export type PathPattern = readonly PatternSegment[];

export class PathSyntaxError extends Error {
  constructor(
    readonly text: string,
    readonly at: number,
    problem: string,
  ) {
    super(`${problem} at character ${at + 1} of ${JSON.stringify(text)}`);
    this.name = 'PathSyntaxError';
  }
}

/** Characters that end a bare field name. */
const NAME_END = /[.[\]"\s]/;
const CONDITION_KEY = /^[A-Za-z0-9_\-/.]+$/;

class Reader {
  i = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.i >= this.text.length;
  }
  peek(): string {
    return this.text[this.i] ?? '';
  }
  fail(problem: string, at = this.i): never {
    throw new PathSyntaxError(this.text, at, problem);
  }
  name(): string {
    const start = this.i;
    while (!this.done && !NAME_END.test(this.peek())) this.i++;
    if (this.i === start)
      this.fail(
        this.done ? 'a field name is missing at the end' : `unexpected ${JSON.stringify(this.peek())}`,
      );
    return this.text.slice(start, this.i);
  }
  /** A JSON string starting at the current `"`. */
  quoted(): string {
    const start = this.i;
    this.i++;
    while (!this.done && this.peek() !== '"') this.i += this.peek() === '\\' ? 2 : 1;
    if (this.done) this.fail('unterminated quoted name', start);
    this.i++;
    try {
      return JSON.parse(this.text.slice(start, this.i)) as string;
    } catch {
      return this.fail('malformed quoted name', start);
    }
  }
  /** A condition's value: quoted, or everything up to `,` or `]`. */
  value(): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.i;
    while (!this.done && this.peek() !== ',' && this.peek() !== ']') this.i++;
    return this.text.slice(start, this.i).trim();
  }
}

/** The inside of `[...]`, the reader just past `[`; leaves it past `]`. */
function bracket(r: Reader): PatternSegment {
  const open = r.i - 1;
  let seg: PatternSegment;
  if (r.peek() === '"') seg = { field: r.quoted() };
  else if (r.peek() === '*') {
    r.i++;
    seg = { anyItem: true };
  } else seg = { where: conditions(r, open) };
  if (r.done) r.fail('unclosed [', open);
  if (r.peek() !== ']') r.fail(`expected ] but found ${JSON.stringify(r.peek())}`);
  r.i++;
  return seg;
}

function conditions(r: Reader, open: number): ItemCondition[] {
  const out: ItemCondition[] = [];
  for (;;) {
    const start = r.i;
    while (!r.done && !/[=,\]]/.test(r.peek())) r.i++;
    const key = r.text.slice(start, r.i).trim();
    if (r.peek() !== '=') {
      if (/^\d+$/.test(key))
        r.fail(
          `a list index ([${key}]) is not supported: pick items by key ([name=web]), by content or all ([*])`,
          open,
        );
      if (r.done) r.fail('unclosed [', open);
      r.fail(`expected key=value, [*] or a quoted name inside [...]`, start);
    }
    if (!CONDITION_KEY.test(key)) r.fail(`${JSON.stringify(key)} is not a field name`, start);
    r.i++;
    out.push({ key, value: r.value() });
    if (r.peek() !== ',') return out;
    r.i++;
  }
}

/** Parses a pattern; throws PathSyntaxError naming the character where it went wrong. */
export function parsePathPattern(text: string): PathPattern {
  const r = new Reader(text);
  if (text.trim() === '') r.fail('the path is empty');
  const out: PatternSegment[] = [];
  if (r.peek() === '[') {
    r.i++;
    out.push(bracket(r));
  } else out.push({ field: r.name() });
  while (!r.done) {
    const c = r.peek();
    r.i++;
    if (c === '.') out.push({ field: r.name() });
    else if (c === '[') out.push(bracket(r));
    else r.fail(`unexpected ${JSON.stringify(c)}`, r.i - 1);
  }
  return out;
}

/** The message of a pattern's syntax error, or null when it parses. */
export function pathPatternProblem(text: string): string | null {
  try {
    parsePathPattern(text);
    return null;
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message;
    throw e;
  }
}

function scalarText(v: JsonValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A dotted key inside a list item (`image`, `resources.limits.cpu`). */
function valueIn(item: JsonValue | undefined, key: string): JsonValue | undefined {
  let cur = item;
  for (const part of key.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/**
 * The list item a path reaches after its first `n` segments (the last of them a list item), as
 * the live object has it (else Git's): conditions on fields that are not the list's key read it.
 */
export type ItemLookup = (n: number) => JsonValue | undefined;

function itemMatches(
  conds: readonly ItemCondition[],
  seg: Segment,
  n: number,
  itemAt: ItemLookup | undefined,
): boolean {
  if (!('key' in seg)) return false;
  let item: JsonValue | undefined | null = null;
  return conds.every(({ key, value }) => {
    let actual: JsonValue | undefined = seg.key[key];
    if (actual === undefined) {
      if (item === null) item = itemAt?.(n);
      actual = valueIn(item, key);
    }
    const text = scalarText(actual);
    return text !== null && glob(value, text);
  });
}

/** True when `pattern` names the field at `segs` or one of its ancestors. */
export function patternMatches(pattern: PathPattern, segs: readonly Segment[], itemAt?: ItemLookup): boolean {
  if (pattern.length > segs.length) return false;
  return pattern.every((p, i) => {
    const s = segs[i] as Segment;
    if ('field' in p) return 'field' in s && glob(p.field, s.field);
    if ('anyItem' in p) return 'key' in s;
    return itemMatches(p.where, s, i + 1, itemAt);
  });
}
