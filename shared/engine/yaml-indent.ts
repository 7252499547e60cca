// kubectl reads YAML with go-yaml (libyaml's scanner), which does not check the indentation of the
// continuation lines of a quoted scalar:
//
//   data:
//     motd: "first line
//   second line"          ← kubectl: "first line second line"; YAML 1.2 (and the yaml package): error
//
// The leading whitespace of a quoted scalar's continuation line is never part of its value (it is
// folded away), so indenting such a line further changes nothing in the value and makes the text
// valid YAML 1.2. This pass does exactly that and nothing else; the parser runs it only on a file it
// could not parse, and uses the result only when it then parses cleanly.

const SPACE = 32;
const TAB = 9;
const NL = 10;
const CR = 13;

function isBlank(c: number | undefined): boolean {
  return c === undefined || c === SPACE || c === TAB || c === NL || c === CR;
}

/** Column of the node on a line: past the indentation and any `- ` sequence indicators. */
function nodeColumn(text: string, lineStart: number): { col: number; pos: number; dashCol: number } {
  let i = lineStart;
  while (text.charCodeAt(i) === SPACE) i++;
  let dashCol = -1;
  while (text[i] === '-' && isBlank(text.charCodeAt(i + 1)) && text.charCodeAt(i + 1) !== NL) {
    dashCol = i - lineStart;
    i++;
    while (text.charCodeAt(i) === SPACE) i++;
  }
  return { col: i - lineStart, pos: i, dashCol };
}

/** The text with under-indented quoted-scalar continuation lines indented, or null when none are. */
export function indentQuotedContinuations(text: string): string | null {
  const out: string[] = [];
  let changed = false;
  let i = 0;
  let lineStart = 0;
  // May a node start at the next non-blank character? (line start, after `: `, `- `, `? `, `[`, `{`, `,`)
  let nodeStart = true;
  let fresh = true; // at the start of a line not yet looked at
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      out.push('\n');
      i++;
      lineStart = i;
      nodeStart = true;
      fresh = true;
      continue;
    }
    if (fresh) {
      fresh = false;
      const n = nodeColumn(text, lineStart);
      out.push(text.slice(i, n.pos));
      i = n.pos;
      const ch = text[i];
      if (ch === '|' || ch === '>') {
        i = skipBlockScalar(text, i, n.dashCol >= 0 ? n.dashCol : n.col, out);
        lineStart = i;
        nodeStart = true;
        fresh = true;
      }
      continue;
    }
    const ch = text[i] as string;
    if (ch === '#' && isBlank(text.charCodeAt(i - 1))) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out.push(text.slice(i, stop));
      i = stop;
      continue;
    }
    if (nodeStart && (ch === '"' || ch === "'")) {
      // Continuation lines must be indented past the node (key or item) the scalar belongs to.
      const col = nodeColumn(text, lineStart).col;
      const r = quoted(text, i, col, out);
      if (r.changed) changed = true;
      i = r.end;
      lineStart = r.lineStart;
      nodeStart = false;
      continue;
    }
    if (nodeStart && (ch === '|' || ch === '>')) {
      i = skipBlockScalar(text, i, nodeColumn(text, lineStart).col, out);
      lineStart = i;
      nodeStart = true;
      fresh = true;
      continue;
    }
    out.push(ch);
    i++;
    if (c === SPACE || c === TAB) continue;
    const next = text.charCodeAt(i);
    nodeStart =
      ((ch === ':' || ch === '-' || ch === '?') && isBlank(next)) || ch === '[' || ch === '{' || ch === ',';
  }
  return changed ? out.join('') : null;
}

/** Copies a block scalar (header line and its more-indented lines); returns the start of the line after it. */
function skipBlockScalar(text: string, at: number, parentCol: number, out: string[]): number {
  let i = text.indexOf('\n', at);
  if (i < 0) {
    out.push(text.slice(at));
    return text.length;
  }
  i++;
  out.push(text.slice(at, i));
  while (i < text.length) {
    const end = text.indexOf('\n', i);
    const stop = end < 0 ? text.length : end + 1;
    const line = text.slice(i, stop);
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '' && indent <= parentCol) break;
    out.push(line);
    i = stop;
  }
  return i;
}

function quoted(
  text: string,
  start: number,
  col: number,
  out: string[],
): { end: number; lineStart: number; changed: boolean } {
  const q = text[start] as string;
  out.push(q);
  let i = start + 1;
  let lineStart = text.lastIndexOf('\n', start) + 1;
  let changed = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (q === '"' && ch === '\\') {
      out.push(text.slice(i, i + 2));
      i += 2;
      if (text.charCodeAt(i - 1) === NL)
        ({ i, lineStart, changed } = continuation(text, i, col, out, changed));
      continue;
    }
    if (ch === q) {
      if (q === "'" && text[i + 1] === "'") {
        out.push("''");
        i += 2;
        continue;
      }
      out.push(q);
      return { end: i + 1, lineStart, changed };
    }
    out.push(ch);
    i++;
    if (ch === '\n') ({ i, lineStart, changed } = continuation(text, i, col, out, changed));
  }
  return { end: i, lineStart, changed };
}

/** At the start of a continuation line: indent it past the node's column `col` when it is not. */
function continuation(
  text: string,
  at: number,
  col: number,
  out: string[],
  changed: boolean,
): { i: number; lineStart: number; changed: boolean } {
  let i = at;
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
  const rest = text.charCodeAt(i);
  const marker = i === at && (text.startsWith('---', i) || text.startsWith('...', i));
  if (rest !== NL && rest !== CR && i < text.length && !marker && i - at <= col) {
    out.push(' '.repeat(col + 1));
    out.push(text.slice(at, i).replace(/\t/g, ' '));
    changed = true;
  } else out.push(text.slice(at, i));
  return { i, lineStart: at, changed };
}
