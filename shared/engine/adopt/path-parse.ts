// The text form of a field path back to segments: the inverse of formatPath. A keyed segment keeps its label (`name=web`, `port=53,protocol=UDP`);
// the item it names is found by comparing labels, which keyedItems computes the same way.
import type { Segment } from '../path.ts';

export class PathSyntaxError extends Error {}

function keyOf(label: string): Record<string, string | number> {
  const key: Record<string, string | number> = {};
  for (const part of label.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new PathSyntaxError(`[${label}]: expected field=value`);
    const f = part.slice(0, eq);
    const v = part.slice(eq + 1);
    key[f] = /^\d+$/.test(v) && f !== 'name' && f !== 'mountPath' ? Number(v) : v;
  }
  return key;
}

/** Segments of `path`; throws PathSyntaxError naming what is wrong. */
export function parsePath(path: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new PathSyntaxError(`${JSON.stringify(path)}: ${why} at character ${i + 1}`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const next = path[i + 1];
      if (segs.length === 0 || next === undefined || next === '.' || next === '[') fail('unexpected "."');
      i++;
      continue;
    }
    if (c === '[') {
      if (path[i + 1] === '"') {
        // A quoted map key: a JSON string.
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
        if (path[j + 1] !== ']') fail('unterminated quoted key');
        segs.push({ field: JSON.parse(path.slice(i + 1, j + 1)) as string });
        i = j + 2;
      } else {
        const end = path.indexOf(']', i);
        if (end < 0) fail('unterminated "["');
        const label = path.slice(i + 1, end);
        if (segs.length === 0) fail('a list item needs a list field before it');
        segs.push({ key: keyOf(label), label });
        i = end + 1;
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    segs.push({ field: path.slice(i, j) });
    i = j;
  }
  if (segs.length === 0) throw new PathSyntaxError('empty field path');
  return segs;
}
