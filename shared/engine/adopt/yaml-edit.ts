// Writes field values into one document of a YAML file by splicing its text: the library's Document
// API says where each node starts and ends, and only those bytes change. Comments, key order, quoting,
// indentation and every other document of the file stay byte for byte as they were (re-stringifying a
// Document reformats, which a reviewer would have to read past).
import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { JsonValue } from '../../types.ts';
import { canonicalJson } from '../json.ts';
import { isObject } from '../json.ts';
import { readByLibrary } from '../parse.ts';
import { formatPath, keyedItems, type Segment } from '../path.ts';
import {
  blockLines,
  inlineText,
  isEmptyCollection,
  itemLines,
  pairLines,
  scalarText,
  type Style,
} from './yaml-render.ts';

export class YamlEditError extends Error {}

/** Where the object sits in its file: the document (0-based), and its index in a List's `items`. */
export interface DocumentAddress {
  document: number;
  item: number | null;
}

/** One field to write: its segments from the object's root, and the value (undefined: remove it). */
export interface FieldEdit {
  segs: Segment[];
  value: JsonValue | undefined;
}

type Range = [number, number, number];
type Entry = { map: YAMLMap; pair: Pair } | { seq: YAMLSeq; index: number };

function rangeOf(n: Node): Range {
  const r = n.range;
  if (!r) throw new YamlEditError('a YAML node without a source position');
  return r;
}

function column(text: string, pos: number): number {
  return pos - (text.lastIndexOf('\n', pos - 1) + 1);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The start of the line after the one `pos` is on (a node ending at a line start ends there). */
function nextLine(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

function splice(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

/** Whole lines removed; at the end of a file without a final newline, the line break before them goes too. */
function removeLines(text: string, from: number, to: number): string {
  const eofWithoutNewline = to === text.length && !text.endsWith('\n') && from > 0;
  return splice(text, eofWithoutNewline ? from - 1 : from, to, '');
}

/** Lines inserted at a line start; a file without a final newline gets one first. */
function insertLines(text: string, at: number, lines: string[]): string {
  const lead = at === text.length && text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  return splice(text, at, at, `${lead}${lines.join('\n')}\n`);
}

/** How this file indents block sequences under a key: from its first one, else by two. */
function styleOf(text: string, doc: Document): Style {
  let found: number | null = null;
  const look = (n: unknown): void => {
    if (found !== null) return;
    if (isMap(n))
      for (const p of n.items) {
        if (isSeq(p.value) && !p.value.flow && isScalar(p.key) && p.value.items.length > 0) {
          found = column(text, rangeOf(p.value)[0]) - column(text, rangeOf(p.key)[0]);
          return;
        }
        look(p.value);
      }
    else if (isSeq(n)) n.items.forEach(look);
  };
  look(doc.contents);
  return { seqIndent: found === 0 ? 0 : 2 };
}

function toJs(doc: Document, n: unknown): JsonValue {
  return (isMap(n) || isSeq(n) || isScalar(n) ? n.toJS(doc) : null) as JsonValue;
}

/** The value to write where `rest` is missing: `rest` built up as maps (and keyed items) around `value`. */
function buildRest(rest: readonly Segment[], value: JsonValue): JsonValue {
  let v = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const s = rest[i] as Segment;
    if ('field' in s) v = { [s.field]: v };
    else v = [isObject(v) ? { ...s.key, ...v } : v];
  }
  return v;
}

/** The finer edits that turn `old` into `value`, so unchanged entries (and their comments) stay. */
function refine(doc: Document, node: unknown, segs: Segment[], value: JsonValue, kind: string): FieldEdit[] {
  const old = toJs(doc, node);
  if (canonicalJson(old) === canonicalJson(value)) return [];
  if (isMap(node) && !node.flow && isObject(old) && isObject(value) && !isEmptyCollection(value)) {
    const sets: FieldEdit[] = [];
    const removes: FieldEdit[] = [];
    for (const [k, v] of Object.entries(value)) sets.push({ segs: [...segs, { field: k }], value: v });
    for (const k of Object.keys(old))
      if (!(k in value)) removes.push({ segs: [...segs, { field: k }], value: undefined });
    // Sets before removals: a map emptied on the way would take its key with it.
    return [...sets, ...removes];
  }
  if (isSeq(node) && !node.flow && Array.isArray(old) && Array.isArray(value) && value.length > 0) {
    const a = keyedItems(old, segs, kind);
    const b = keyedItems(value, segs, kind);
    const common = (x: typeof a, y: typeof a): string[] =>
      (x ?? []).filter((i) => (y ?? []).some((j) => j.id === i.id)).map((i) => i.id);
    // Item by item only when both are keyed and the items both keep are in the same order.
    if (a && b && common(a, b).join('\0') === common(b, a).join('\0')) {
      const sets = b.map((it) => ({ segs: [...segs, it.seg], value: it.value as JsonValue }));
      const removes = a
        .filter((it) => !b.some((j) => j.id === it.id))
        .map((it) => ({ segs: [...segs, it.seg], value: undefined }));
      return [...sets, ...removes];
    }
  }
  return [{ segs, value }];
}

interface Walk {
  text: string;
  doc: Document;
  style: Style;
  kind: string;
}

/** The text of a value replacing `node` (a value after `key:` or an item after `- `). */
function replaceNode(w: Walk, node: Node, value: JsonValue, keyCol: number): string {
  const { text } = w;
  const [start, end] = rangeOf(node);
  const inline = inlineText(value);
  if (inline !== null) {
    // A scalar keeps its quoting when it stays a string.
    const quote =
      isScalar(node) && typeof node.value === 'string' && typeof value === 'string'
        ? node.type === 'QUOTE_DOUBLE'
          ? 'double'
          : node.type === 'QUOTE_SINGLE'
            ? 'single'
            : undefined
        : undefined;
    let s = typeof value === 'object' ? inline : scalarText(value, quote);
    // `key:` with no value: the empty node sits right after the colon.
    if (start === end && text[start - 1] === ':') s = ` ${s}`;
    const blockScalar = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    // A block scalar's range runs to the start of the next line.
    return splice(text, start, end, blockScalar ? `${s}\n` : s);
  }
  const startsLine =
    text.slice(lineStart(text, start), start).trim() === '' ||
    /-\s*$/.test(text.slice(lineStart(text, start), start));
  if ((isMap(node) || isSeq(node)) && !node.flow && startsLine) {
    // A block collection: the new block at the same column, over the old one's lines.
    const col = column(text, start);
    const lines = blockLines(value, col, w.style);
    lines[0] = (lines[0] ?? '').slice(col);
    return splice(text, start, end, `${lines.join('\n')}\n`);
  }
  // A scalar or flow collection after `key:` becomes a block under the key.
  let from = start;
  while (from > 0 && text[from - 1] === ' ') from--;
  const child = Array.isArray(value) ? keyCol + w.style.seqIndent : keyCol + 2;
  const after = nextLine(text, end);
  const rest = text.slice(end, after);
  // Keep a comment that followed the old value on its line.
  const comment = /^\s*(#.*)$/.exec(rest.replace(/\n$/, ''))?.[1];
  const lines = blockLines(value, child, w.style);
  return splice(text, from, after, `${comment ? ` ${comment}` : ''}\n${lines.join('\n')}\n`);
}

function insertPair(w: Walk, map: YAMLMap, key: string, value: JsonValue): string {
  const { text } = w;
  if (map.flow || map.items.length === 0) {
    throw new YamlEditError('cannot add a key to a flow map in place');
  }
  const first = map.items[0] as Pair;
  const col = column(text, rangeOf(first.key as Node)[0]);
  const last = map.items[map.items.length - 1] as Pair;
  const lastNode = (last.value ?? last.key) as Node;
  const at = nextLine(text, rangeOf(lastNode)[1]);
  return insertLines(text, at, pairLines(key, value, col, w.style));
}

function appendItem(w: Walk, seq: YAMLSeq, value: JsonValue): string {
  const { text } = w;
  const first = seq.items[0] as Node | undefined;
  if (seq.flow || !first) throw new YamlEditError('cannot add an item to a flow list in place');
  const dash = column(text, rangeOf(seq)[0]);
  const last = seq.items[seq.items.length - 1] as Node;
  const at = nextLine(text, rangeOf(last)[1]);
  return insertLines(text, at, itemLines(value, dash, w.style));
}

/** Remove an entry; a map or list left empty goes with it (as the engine treats it: absent). */
function removeEntry(w: Walk, stack: Entry[]): string {
  const { text } = w;
  let i = stack.length - 1;
  // Each map or list the removal empties goes too, up to (not including) the object itself.
  while (i > 0) {
    const e = stack[i] as Entry;
    const size = 'map' in e ? e.map.items.length : e.seq.items.length;
    if (size > 1) break;
    i--;
  }
  const e = stack[i] as Entry;
  if ('map' in e) {
    const { map, pair } = e;
    if (map.flow) return replaceFlow(w, map, toJs(w.doc, map), pair);
    const keyStart = rangeOf(pair.key as Node)[0];
    const end = nextLine(text, rangeOf((pair.value ?? pair.key) as Node)[1]);
    const ls = lineStart(text, keyStart);
    if (text.slice(ls, keyStart).trim() === '') return removeLines(text, ls, end);
    // The first key of a list item (`- name: x`): the next key moves up after the dash.
    const next = map.items[map.items.indexOf(pair) + 1];
    if (!next) throw new YamlEditError('cannot remove the only key of a list item');
    return splice(text, keyStart, rangeOf(next.key as Node)[0], '');
  }
  const { seq, index } = e;
  const item = seq.items[index] as Node;
  if (seq.flow) {
    const list = toJs(w.doc, seq) as JsonValue[];
    return splice(text, rangeOf(seq)[0], rangeOf(seq)[1], flowText(list.filter((_, j) => j !== index)));
  }
  const [start, end] = rangeOf(item);
  return removeLines(text, lineStart(text, start), nextLine(text, end));
}

function flowText(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${scalarText(k)}: ${flowText(x)}`)
      .join(', ')}}`;
  return scalarText(v, typeof v === 'string' && /[,[\]{}:#]/.test(v) ? 'double' : undefined);
}

/** A flow map without `drop`: rewritten in flow style. */
function replaceFlow(w: Walk, map: YAMLMap, old: JsonValue, drop: Pair): string {
  const key = isScalar(drop.key) ? String(drop.key.value) : '';
  const next = { ...(old as Record<string, JsonValue>) };
  delete next[key];
  const [start, end] = rangeOf(map);
  return splice(w.text, start, end, flowText(next));
}

/** One edit applied to `text`; returns the new text (unchanged when there is nothing to do). */
function applyOne(text: string, at: DocumentAddress, kind: string, edit: FieldEdit): string {
  const { docs } = readByLibrary(text);
  const doc = docs[at.document];
  if (!doc || doc.errors.length > 0) throw new YamlEditError(`document ${at.document + 1} does not parse`);
  const w: Walk = { text, doc, style: styleOf(text, doc), kind };
  let node: unknown = doc.contents;
  if (at.item !== null) {
    node = isMap(node) ? (node.get('items', true) as YAMLSeq | undefined)?.items[at.item] : undefined;
    if (!node) throw new YamlEditError(`document ${at.document + 1} has no item ${at.item}`);
  }
  const { segs, value } = edit;
  const stack: Entry[] = [];
  let keyCol = 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    const last = i === segs.length - 1;
    const where = formatPath(segs.slice(0, i)) || 'the object';
    if ('field' in s) {
      if (!isMap(node)) throw new YamlEditError(`${where} is not a map in the file`);
      // The last of duplicate keys: its value is the one kubectl reads.
      const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === s.field);
      if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null && !last)) {
        if (value === undefined) return text;
        const built = buildRest(segs.slice(i + 1), value);
        if (pair?.value)
          return replaceNode(w, pair.value as Node, built, column(text, rangeOf(pair.key as Node)[0]));
        if (pair) throw new YamlEditError(`${formatPath(segs.slice(0, i + 1))} has no value to replace`);
        // A flow map (`labels: {}`) is rewritten as a block under its key.
        if (node.flow)
          return replaceNode(w, node, { ...(toJs(doc, node) as object), [s.field]: built }, keyCol);
        return insertPair(w, node, s.field, built);
      }
      stack.push({ map: node, pair });
      keyCol = column(text, rangeOf(pair.key as Node)[0]);
      node = pair.value;
    } else {
      if (!isSeq(node)) throw new YamlEditError(`${where} is not a list in the file`);
      const items = keyedItems(toJs(doc, node) as JsonValue[], segs.slice(0, i), kind);
      if (!items) throw new YamlEditError(`${where} is not a list keyed as [${s.label}] in the file`);
      const index = items.findIndex((it) => it.seg.label === s.label);
      if (index < 0) {
        if (value === undefined) return text;
        const rest = buildRest(segs.slice(i + 1), value);
        return appendItem(w, node, last ? rest : { ...s.key, ...(rest as object) });
      }
      stack.push({ seq: node, index });
      node = node.items[index];
      keyCol = column(text, rangeOf(node as Node)[0]);
    }
    if (last) {
      if (value === undefined) return removeEntry(w, stack);
      const finer = refine(doc, node, segs, value, kind);
      if (finer.length === 1 && finer[0]?.segs === segs) return replaceNode(w, node as Node, value, keyCol);
      let out = text;
      for (const f of finer) out = applyOne(out, at, kind, f);
      return out;
    }
  }
  return text;
}

/**
 * The file's text with each edit written into the object at `at` (segments relative to that object's
 * root). Throws YamlEditError when the document is not shaped as the path says (a map where a list is
 * expected, or a list item that cannot be matched by its key).
 */
export function editYaml(
  text: string,
  at: DocumentAddress,
  kind: string,
  edits: readonly FieldEdit[],
): string {
  let out = text;
  // Sets before removals: a list or map emptied on the way would go, and a later set would make it
  // again at the end of its parent instead of where it was.
  const ordered = [
    ...edits.filter((e) => e.value !== undefined),
    ...edits.filter((e) => e.value === undefined),
  ];
  for (const e of ordered) {
    out = applyOne(out, at, kind, e);
    // A removed key that was duplicated: the earlier value would now be read, so it goes too.
    for (let prev = ''; e.value === undefined && prev !== out;) {
      prev = out;
      try {
        out = applyOne(out, at, kind, e);
      } catch {
        break; // the path no longer resolves (its list item lost its key): nothing more to remove
      }
    }
  }
  return out;
}
