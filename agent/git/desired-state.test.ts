// The per-file desired state: an object defined in two files is an error naming both, as the
// engine reports it for `analyze --local`, not a copy silently dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DesiredState } from './desired-state.ts';

const cm = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: app }\ndata: { v: "${value}" }\n`;

describe('desired state', () => {
  it('reports an id defined in two files, naming both, and keeps the first by path', () => {
    const state = new DesiredState('default');
    const first = state.apply(
      'c1',
      [
        { path: 'b/two.yaml', content: cm('same', '2') },
        { path: 'a/one.yaml', content: cm('same', '1') },
      ],
      [],
    );
    assert.equal(first.errors.length, 1);
    assert.equal(first.errors[0]?.file, 'b/two.yaml');
    assert.match(first.errors[0]?.message ?? '', /ConfigMap:app:same.*a\/one\.yaml.*b\/two\.yaml/);
    assert.equal(state.get('ConfigMap:app:same')?.desired.sourceFile, 'a/one.yaml');
    assert.equal(state.brokenFiles().length, 1, 'still broken while both files define it');

    const again = state.apply('c2', [{ path: 'c.yaml', content: cm('other', '1') }], []);
    assert.equal(again.errors.length, 0, 'a known duplicate is reported once');

    state.apply('c3', [], ['b/two.yaml']);
    assert.deepEqual(state.brokenFiles(), []);
  });
});
