// A fast reader for the plain shape most manifests have: block mappings and sequences, one-line
// flow collections, one-line quoted scalars, plain scalars and comments, in printable ASCII. The
// `yaml` library spent ~150 µs on each small file (lexer, CST, Document AST, then toJS) and was
// most of the agent's cold Git load. This reader accepts a strict subset and gives up (null) on
// anything else — anchors, tags, block scalars, multi-line scalars, directives, tabs, CR, non-ASCII,
// duplicate keys, non-string keys, odd indentation — so the caller then parses the file with the
// library as before, and every error, warning and line number still comes from there. Scalars are
// typed by the caller's resolver, built from the library's own YAML 1.1 tags, so `yes`, `0644`,
// `~` or `.inf` mean exactly what they mean to the library. Sameness with the library is proven by
// a differential test (yaml-fast.test.ts).
import type { JsonObject, JsonValue } from '../types.ts';

/** Types a plain (unquoted) scalar, as the YAML library would; null when it cannot say (give up). */
export type PlainResolver = (source: string, atKey: boolean) => { value: JsonValue } | null;

/** Thrown to give up on the file; caught at the top, never escapes. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('not in the fast subset');
function giveUp(): never {
  throw GIVE_UP;
}

/** YAML limits an implicit key to 1024 characters; stay well inside it. */
const MAX_KEY = 1000;
const PLAIN_KEY = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +|$)/;
const DOUBLE_KEY = /^"([^"\\]*)":(?: +|$)/;
const SINGLE_KEY = /^'((?:[^']|'')*)':(?: +|$)/;
const DOUBLE = /"([^"\\]*)"/y;
const SINGLE = /'((?:[^']|'')*)'/y;
/** What may follow a value on its line: spaces, then maybe a comment. */
const TRAIL = /^(?: *| +#.*)$/;
const DOC_START = /^---(?: *| +#.*)$/;
/** First characters that make a plain scalar something else (indicators), or that we leave to the library. */
const NOT_PLAIN_START = new Set([...'?:,[]{}#&*!|>\'"%@`']);

/** Printable ASCII and LF only: everything else (tabs, CR, BOM, NEL, Unicode) goes to the library. */
function plainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && (c < 32 || c > 126)) return false;
  }
  return true;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** Blank or comment-only line. */
function skippable(line: string): boolean {
  const i = indentOf(line);
  return i === line.length || line.charCodeAt(i) === 35;
}

/** `- ` (or a lone `-`) at column `at`. */
function isSeqEntry(line: string, at: number): boolean {
  return line.charCodeAt(at) === 45 && (line.length === at + 1 || line.charCodeAt(at + 1) === 32);
}

class Reader {
  private i = 0;
  private readonly lines: string[];

  constructor(
    text: string,
    private readonly resolve: PlainResolver,
  ) {
    this.lines = text.split('\n');
  }

  documents(): JsonValue[] {
    const docs: JsonValue[] = [];
    for (;;) {
      while (this.i < this.lines.length && skippable(this.lines[this.i] ?? '')) this.i++;
      const line = this.lines[this.i];
      if (line === undefined) return docs;
      if (line.startsWith('---')) {
        if (!DOC_START.test(line)) giveUp();
        this.i++;
        continue;
      }
      if (line.startsWith('...') || line.startsWith('%') || indentOf(line) !== 0) giveUp();
      docs.push(this.map(0, null));
    }
  }

  /** Index of the next content line inside the document, or -1 at a document marker or the end. */
  private next(): number {
    let j = this.i;
    while (j < this.lines.length && skippable(this.lines[j] ?? '')) j++;
    const line = this.lines[j];
    if (line === undefined || line.startsWith('---') || line.startsWith('...')) return -1;
    return j;
  }

  /** A block mapping whose keys sit at column `indent`; `first` is its first entry when it starts after `- `. */
  private map(indent: number, first: string | null): JsonObject {
    const out: JsonObject = {};
    if (first !== null) {
      this.entry(out, first, indent);
    }
    for (;;) {
      const j = this.next();
      if (j < 0) return out;
      const line = this.lines[j] ?? '';
      const at = indentOf(line);
      if (at < indent) return out;
      if (at > indent || isSeqEntry(line, at)) giveUp();
      this.i = j;
      this.entry(out, line.slice(at), indent);
    }
  }

  /** One `key: value` line (the current one), and the block under it if the value is not inline. */
  private entry(out: JsonObject, text: string, indent: number): void {
    let key: string;
    let m = PLAIN_KEY.exec(text);
    if (m) {
      key = m[1] ?? '';
      const typed = this.resolve(key, true);
      if (typed === null || typed.value !== key) giveUp();
    } else if ((m = DOUBLE_KEY.exec(text))) key = m[1] ?? '';
    else if ((m = SINGLE_KEY.exec(text))) key = (m[1] ?? '').replace(/''/g, "'");
    else giveUp();
    if (key.length > MAX_KEY || key === '__proto__' || key === '<<' || Object.hasOwn(out, key)) giveUp();
    this.i++;
    const rest = text.slice(m[0].length);
    out[key] = rest === '' || rest.startsWith('#') ? this.blockValue(indent) : this.inline(rest);
  }

  /** The value of `key:` with nothing after it: a deeper block, a sequence at the key's column, or null. */
  private blockValue(indent: number): JsonValue {
    const j = this.next();
    const line = j >= 0 ? (this.lines[j] ?? '') : '';
    if (j >= 0 && indentOf(line) === indent && isSeqEntry(line, indent)) {
      this.i = j;
      return this.seq(indent, null);
    }
    return this.deeper(indent);
  }

  /** A block indented deeper than `indent` on the next lines, or null when there is none. */
  private deeper(indent: number): JsonValue {
    const j = this.next();
    if (j >= 0) {
      const line = this.lines[j] ?? '';
      const at = indentOf(line);
      if (at > indent) {
        this.i = j;
        return isSeqEntry(line, at) ? this.seq(at, null) : this.map(at, null);
      }
    }
    return this.plain('');
  }

  /** A block sequence with its dashes at column `indent`; `first` is its first entry when it starts after `- `. */
  private seq(indent: number, first: string | null): JsonValue[] {
    const out: JsonValue[] = [];
    if (first !== null) out.push(this.item(first, indent));
    for (;;) {
      const j = this.next();
      if (j < 0) return out;
      const line = this.lines[j] ?? '';
      const at = indentOf(line);
      if (at < indent) return out;
      if (at > indent) giveUp();
      if (!isSeqEntry(line, at)) return out; // the parent mapping's next key (a compact sequence)
      this.i = j;
      out.push(this.item(line.slice(at), at));
    }
  }

  /** One entry of a sequence, from its dash (at column `at` of the current line). */
  private item(text: string, at: number): JsonValue {
    const gap = indentOf(text.slice(1));
    const col = at + 1 + gap;
    const rest = text.slice(1 + gap);
    if (rest === '' || rest.startsWith('#')) {
      this.i++;
      return this.deeper(at);
    }
    if (isSeqEntry(rest, 0)) return this.seq(col, rest);
    if (PLAIN_KEY.test(rest) || DOUBLE_KEY.test(rest) || SINGLE_KEY.test(rest)) return this.map(col, rest);
    this.i++;
    return this.inline(rest);
  }

  /** A value that starts and ends on this line: quoted, flow collection or plain, then maybe a comment. */
  private inline(text: string): JsonValue {
    const c = text[0] ?? '';
    if (c === '"' || c === "'" || c === '[' || c === '{') {
      const [value, end] = this.flowNode(text, 0);
      if (!TRAIL.test(text.slice(end))) giveUp();
      return value;
    }
    if (NOT_PLAIN_START.has(c) || isSeqEntry(text, 0)) giveUp();
    const hash = text.indexOf(' #');
    const source = (hash < 0 ? text : text.slice(0, hash)).trimEnd();
    if (source.includes(': ') || source.endsWith(':') || /[[\]{}]/.test(source)) giveUp();
    return this.plain(source);
  }

  private plain(source: string): JsonValue {
    const typed = this.resolve(source, false);
    if (typed === null) giveUp();
    return typed.value;
  }

  /** A flow node at `pos` on one line: returns the value and the position after it. */
  private flowNode(s: string, pos: number): [JsonValue, number] {
    const c = s[pos];
    if (c === '"' || c === "'") {
      const re = c === '"' ? DOUBLE : SINGLE;
      re.lastIndex = pos;
      const m = re.exec(s);
      if (!m) giveUp();
      const value = c === '"' ? (m[1] ?? '') : (m[1] ?? '').replace(/''/g, "'");
      return [value, pos + m[0].length];
    }
    if (c === '[') return this.flowSeq(s, pos + 1);
    if (c === '{') return this.flowMap(s, pos + 1);
    if (c === undefined || NOT_PLAIN_START.has(c) || c === '-' || c === ' ') giveUp();
    let end = pos;
    for (; end < s.length; end++) {
      const ch = s[end];
      if (ch === ',' || ch === ']' || ch === '}') break;
      if (ch === '[' || ch === '{') giveUp();
      if (ch === ':' && /^(?:[ ,[\]{}]|$)/.test(s.slice(end + 1, end + 2))) break;
      if (ch === '#' && s[end - 1] === ' ') giveUp();
    }
    if (end >= s.length) giveUp(); // a flow collection that does not close on its line
    return [this.plain(s.slice(pos, end).trimEnd()), end];
  }

  private flowSeq(s: string, pos: number): [JsonValue[], number] {
    const out: JsonValue[] = [];
    pos = skipSpaces(s, pos);
    if (s[pos] === ']') return [out, pos + 1];
    for (;;) {
      const [value, end] = this.flowNode(s, pos);
      out.push(value);
      pos = skipSpaces(s, end);
      if (s[pos] === ']') return [out, pos + 1];
      if (s[pos] !== ',') giveUp(); // `a: b` inside a sequence, or junk
      pos = skipSpaces(s, pos + 1);
      if (s[pos] === ']' || s[pos] === ',') giveUp();
    }
  }

  private flowMap(s: string, pos: number): [JsonObject, number] {
    const out: JsonObject = {};
    pos = skipSpaces(s, pos);
    if (s[pos] === '}') return [out, pos + 1];
    for (;;) {
      const quoted = s[pos] === '"' || s[pos] === "'";
      if (s[pos] === '[' || s[pos] === '{') giveUp();
      const [key, end] = this.flowNode(s, pos);
      if (typeof key !== 'string' || s[end] !== ':') giveUp();
      if (!quoted) {
        const typed = this.resolve(key, true);
        if (typed === null || typed.value !== key) giveUp();
      }
      if (key.length > MAX_KEY || key === '__proto__' || Object.hasOwn(out, key)) giveUp();
      if (!quoted && s[end + 1] !== ' ') giveUp();
      pos = skipSpaces(s, end + 1);
      if (s[pos] === ',' || s[pos] === '}') giveUp(); // a key without a value
      const [value, after] = this.flowNode(s, pos);
      out[key] = value;
      pos = skipSpaces(s, after);
      if (s[pos] === '}') return [out, pos + 1];
      if (s[pos] !== ',') giveUp();
      pos = skipSpaces(s, pos + 1);
      if (s[pos] === '}' || s[pos] === ',') giveUp();
    }
  }
}

function skipSpaces(s: string, pos: number): number {
  while (s.charCodeAt(pos) === 32) pos++;
  return pos;
}

/**
 * The values of the documents in `text` (empty documents left out), or null when the text is not
 * in the subset this reader is sure about: then the caller must parse it with the library.
 */
export function fastDocuments(text: string, resolve: PlainResolver): JsonValue[] | null {
  if (!plainAscii(text)) return null;
  try {
    return new Reader(text, resolve).documents();
  } catch (e) {
    if (e instanceof GiveUp) return null;
    throw e;
  }
}
