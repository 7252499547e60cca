// New YAML text for values adopt writes into a file: scalars that read back as the same value under
// the YAML 1.1 rules kubectl (and the engine) use, and block collections at a given indentation in the
// style of the file (`- ` items under their key or indented by two).
import type { JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { readByLibrary } from '../parse.ts';

export interface Style {
  /** Extra indentation of a block sequence under its map key: 0 (`key:\n- a`) or 2 (`key:\n  - a`). */
  seqIndent: number;
}

/** Does `text` read back as exactly `value` when written after `k: ` (YAML 1.1, as kubectl reads it)? */
function readsBack(text: string, value: JsonValue): boolean {
  const { docs } = readByLibrary(`k: ${text}\n`);
  const doc = docs[0];
  if (!doc || doc.errors.length > 0 || docs.length !== 1) return false;
  const got = (doc.toJS() as { k?: unknown } | null)?.k;
  return got === value;
}

/** A scalar on one line: plain when it reads back unchanged, else double-quoted (JSON is valid YAML). */
export function scalarText(value: string | number | boolean | null, quote?: 'double' | 'single'): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (quote === 'single' && !/[\n\r]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (quote === 'double') return JSON.stringify(value);
  if (value !== '' && !/[\n\r\t]/.test(value) && value.trim() === value && readsBack(value, value))
    return value;
  return JSON.stringify(value);
}

export function isEmptyCollection(v: JsonValue): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

/** A value that fits after `key: ` or `- ` on the same line: scalars and empty collections. */
export function inlineText(v: JsonValue): string | null {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : null;
  if (isObject(v)) return Object.keys(v).length === 0 ? '{}' : null;
  return scalarText(v);
}

function keyText(key: string): string {
  return scalarText(key);
}

/** `key: value` (or `key:` and its block) with the key at column `ind`. */
export function pairLines(key: string, value: JsonValue, ind: number, style: Style): string[] {
  const pad = ' '.repeat(ind);
  const inline = inlineText(value);
  if (inline !== null) return [`${pad}${keyText(key)}: ${inline}`];
  const child = Array.isArray(value) ? ind + style.seqIndent : ind + 2;
  return [`${pad}${keyText(key)}:`, ...blockLines(value, child, style)];
}

/** `- item` with the dash at column `ind`. */
export function itemLines(item: JsonValue, ind: number, style: Style): string[] {
  const pad = ' '.repeat(ind);
  const inline = inlineText(item);
  if (inline !== null) return [`${pad}- ${inline}`];
  const lines = blockLines(item, ind + 2, style);
  lines[0] = `${pad}- ${(lines[0] ?? '').slice(ind + 2)}`;
  return lines;
}

/** A non-empty map or list as block lines, its entries at column `ind`. */
export function blockLines(value: JsonValue, ind: number, style: Style): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => itemLines(item, ind, style));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => pairLines(k, v, ind, style));
  return [`${' '.repeat(ind)}${scalarText(value)}`];
}
