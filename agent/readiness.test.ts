// The store's line in /ready: queued writes (after a failure) and records written behind (a first
// start's inserts not yet stored, which a stop would leave for the next start) are both named.
// Pure formatting over the parts' answers: the parts here are plain values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readiness, type ReadinessParts } from './readiness.ts';

function parts(store: { up: boolean; queued: number; behind: number }): ReadinessParts {
  return {
    store: {
      ping: () => Promise.resolve(store.up),
      pendingWrites: () => store.queued,
      behindWrites: () => store.behind,
    },
    watch: {
      unsynced: () => [],
      issues: () => [],
      broken: () => [],
      deniedScopes: () => [],
      unresolved: () => [],
      counts: () => ({}),
    },
    sources: { list: [], crossSourceDuplicates: () => [] },
  };
}

async function storeLine(store: { up: boolean; queued: number; behind: number }): Promise<string> {
  const line = (await readiness(parts(store))).find((c) => c.name === 'store');
  assert.ok(line);
  return line.message;
}

describe('readiness: the store line', () => {
  it('says reachable, and names queued writes and records written behind', async () => {
    assert.equal(await storeLine({ up: true, queued: 0, behind: 0 }), 'reachable');
    assert.equal(await storeLine({ up: true, queued: 2, behind: 0 }), 'reachable; 2 queued write(s)');
    assert.equal(
      await storeLine({ up: true, queued: 0, behind: 9216 }),
      'reachable; 9216 record(s) written behind, not yet stored',
    );
    assert.equal(
      await storeLine({ up: false, queued: 3, behind: 5 }),
      'not reachable; 3 write(s) queued; 5 record(s) written behind, not yet stored',
    );
  });
});
