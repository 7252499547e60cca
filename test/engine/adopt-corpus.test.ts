// Adopt's YAML editor on every file of the shared corpus: for each object, a scalar changed, a label
// added, a field removed and a no-op. Each time the file must read back as exactly the expected
// objects (every other field and document as it was) and only the edited lines may differ, so
// comments, key order, quoting and indentation elsewhere are untouched.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { editYaml, type DocumentAddress } from '../../shared/engine/adopt/yaml-edit.ts';
import { getAt, keyedItems, setAt, type Segment } from '../../shared/engine/path.ts';
import { readByLibrary } from '../../shared/engine/parse.ts';
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import { CORPUS, manifestFiles } from './corpus.ts';
import { sharedSkip } from '../kit/shared-data.ts';

const isMap = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first single-line scalar under `spec`/`data` (through keyed list items), with its segments. */
function firstLeaf(
  v: JsonValue,
  segs: Segment[],
  kind: string,
): { segs: Segment[]; value: JsonValue } | null {
  if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (segs.length === 0 && !['spec', 'data'].includes(k)) continue;
      const got = firstLeaf(x, [...segs, { field: k }], kind);
      if (got) return got;
    }
    return null;
  }
  if (Array.isArray(v)) {
    for (const it of keyedItems(v, segs, kind) ?? []) {
      const got = firstLeaf(it.value, [...segs, it.seg], kind);
      if (got) return got;
    }
    return null;
  }
  if (typeof v === 'string' && (v.includes('\n') || v.length > 60)) return null;
  return v === null ? null : { segs, value: v };
}

function changedLines(before: string, after: string): [number, number] {
  const a = before.split('\n');
  const b = after.split('\n');
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [a.length - p - s, b.length - p - s];
}

/** Lines of `after` that are not `before`'s lines in order (greedy: `after` as a subsequence). */
function notRemoved(before: string, after: string): string[] {
  const a = before.split('\n');
  const extra: string[] = [];
  let i = 0;
  for (const line of after.split('\n')) {
    const at = a.indexOf(line, i);
    if (at < 0) extra.push(line);
    else i = at + 1;
  }
  return extra;
}

function values(text: string): JsonValue[] {
  return readByLibrary(text).docs.map((d) => d.toJS() as JsonValue);
}

/** `obj` with the value at `segs` removed and every map or list that leaves empty (as adopt removes). */
function removed(obj: JsonObject, segs: Segment[], kind: string): JsonObject {
  const out = structuredClone(obj);
  // The containers along the path, resolved before anything is removed.
  const chain = segs.map((_, n) => getAt(out, segs.slice(0, n), kind));
  for (let n = segs.length - 1; n >= 0; n--) {
    const container = chain[n];
    const child = n === segs.length - 1 ? undefined : chain[n + 1];
    const s = segs[n] as Segment;
    if (n < segs.length - 1) {
      const empty = Array.isArray(child)
        ? child.length === 0
        : isMap(child) && Object.keys(child).length === 0;
      if (!empty) break;
    }
    if (Array.isArray(container)) {
      const item = n === segs.length - 1 ? getAt(container, [s], kind) : child;
      container.splice(container.indexOf(item as JsonValue), 1);
    } else if (isMap(container) && 'field' in s) delete container[s.field];
  }
  return out;
}

describe('adopt edits on the shared corpus', { skip: sharedSkip(CORPUS) }, () => {
  it('changes exactly the edited fields of every file, byte for byte elsewhere', () => {
    let files = 0;
    let edits = 0;
    for (const file of manifestFiles(CORPUS)) {
      const text = readFileSync(file, 'utf8');
      const label = relative(CORPUS, file);
      const before = values(text);
      const docs = readByLibrary(text).docs;
      files++;
      docs.forEach((doc, document) => {
        const obj = before[document];
        if (
          doc.errors.length > 0 ||
          !isMap(obj) ||
          typeof obj['kind'] !== 'string' ||
          !isMap(obj['metadata'])
        )
          return;
        const kind = obj['kind'];
        const at: DocumentAddress = { document, item: null };
        const check = (
          what: string,
          segs: Segment[],
          value: JsonValue | undefined,
          expected: JsonObject,
          lines: [number, number],
        ) => {
          const out = editYaml(text, at, kind, [{ segs, value }]);
          const got = values(out);
          const want = before.map((v, i) => (i === document ? expected : v));
          assert.deepEqual(got, want, `${label} document ${document + 1}: ${what}`);
          assert.deepEqual(
            changedLines(text, out),
            lines,
            `${label} document ${document + 1}: ${what}\n${out}`,
          );
          edits++;
        };
        const leaf = firstLeaf(obj, [], kind);
        if (leaf) {
          const v = leaf.value;
          const next = typeof v === 'string' ? `${v}-adopted` : typeof v === 'number' ? v + 1 : !v;
          const changed = structuredClone(obj);
          setAt(changed, leaf.segs, kind, next);
          check('a scalar changed', leaf.segs, next, changed, [1, 1]);
          assert.equal(
            editYaml(text, at, kind, [{ segs: leaf.segs, value: v }]),
            text,
            `${label}: a no-op edit`,
          );
          const gone = removed(obj, leaf.segs, kind);
          const out = editYaml(text, at, kind, [{ segs: leaf.segs, value: undefined }]);
          assert.deepEqual(values(out)[document], gone, `${label} document ${document + 1}: a field removed`);
          // Only lines go, except when the first key of a list item goes: the next key moves up after its dash.
          const extra = notRemoved(text, out);
          assert.ok(
            extra.length === 0 || (extra.length === 1 && /^\s*- /.test(extra[0] ?? '')),
            `${label}: a removal only removes lines, but ${JSON.stringify(extra)}`,
          );
          edits++;
        }
        const labelSegs: Segment[] = [
          { field: 'metadata' },
          { field: 'labels' },
          { field: 'driftguard.dev/adopted' },
        ];
        const labelled = structuredClone(obj);
        setAt(labelled, labelSegs, kind, 'yes');
        const hadLabels = isMap((obj['metadata'] as JsonObject)['labels']);
        check('a label added', labelSegs, 'yes', labelled, [0, hadLabels ? 1 : 2]);
      });
    }
    console.log(`adopt corpus: ${files} files, ${edits} edits, every one read back exactly`);
    assert.ok(files > 100 && edits > files, `only ${files} files and ${edits} edits`);
  });
});
