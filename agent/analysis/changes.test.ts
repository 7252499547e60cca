// The change log decides whether a full run must look at every object or only at what changed
// (pure logic; the end-to-end proof on a real API server is test/agent/memo.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineOptions } from '../../shared/engine/index.ts';
import type { DriftRecord } from '../../shared/types.ts';
import { ChangeLog, FULL_PASS_EVERY_MS, type Epoch } from './changes.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const TOUCH = 60_000;
const engine = {} as EngineOptions;
const epoch = (over: Partial<Epoch> = {}): Epoch => ({ engine, commit: 'c1', liveMark: 0, ...over });
const record = (id: string, lastChecked: number) =>
  ({ resource_id: id, last_checked: new Date(lastChecked).toISOString() }) as DriftRecord;

/** A log settled by a full pass at T0 over records a, b, c checked at T0. */
function settled(): ChangeLog {
  const log = new ChangeLog();
  assert.equal(log.plan(epoch(), T0), null, 'nothing settled yet: a full pass');
  for (const id of ['a', 'b', 'c']) log.record(record(id, T0), TOUCH);
  log.ended(epoch(), T0, true, true, 3);
  return log;
}

describe('change log (which ids a full run analyses)', () => {
  it('after a complete full pass, nothing changed: no id at all', () => {
    assert.deepEqual(settled().plan(epoch(), T0 + 1000), []);
  });

  it('announced changes only, each once', () => {
    const log = settled();
    log.note('b');
    log.note('b');
    log.note('x');
    assert.deepEqual(log.plan(epoch(), T0 + 1000), ['b', 'x']);
    assert.deepEqual(log.plan(epoch(), T0 + 2000), []);
  });

  it('records whose last_checked comes due (spread over half to one interval), once each', () => {
    const log = settled();
    assert.deepEqual(log.plan(epoch(), T0 + TOUCH / 2 - 1), []);
    assert.deepEqual(log.plan(epoch(), T0 + TOUCH)?.sort(), ['a', 'b', 'c']);
    assert.deepEqual(log.plan(epoch(), T0 + TOUCH + 1), []);
    // A rewritten record comes due again from its new last_checked.
    log.record(record('a', T0 + TOUCH), TOUCH);
    assert.deepEqual(log.plan(epoch(), T0 + 2 * TOUCH), ['a']);
  });

  it('a verdict made again every run (not confirmed) until its record no longer needs it', () => {
    const log = settled();
    log.record(record('b', T0), TOUCH, true);
    assert.deepEqual(log.plan(epoch(), T0 + 1000), ['b']);
    assert.deepEqual(log.plan(epoch(), T0 + 2000), ['b']);
    log.record(record('b', T0 + 2000), TOUCH);
    assert.deepEqual(log.plan(epoch(), T0 + 3000), []);
  });

  for (const [what, other] of [
    ['the engine options (rules, CRD schemas, scopes)', epoch({ engine: {} as EngineOptions })],
    ['the Git commit', epoch({ commit: 'c2' })],
    ['a change the watches did not announce', epoch({ liveMark: 1 })],
    ['a live view that cannot tell', epoch({ liveMark: undefined })],
  ] as const)
    it(`another value of ${what}: a full pass`, () => {
      const log = settled();
      log.note('a');
      assert.equal(log.plan(other, T0 + 1000), null);
    });

  it('a failed or interrupted run, a reset, an hour: a full pass', () => {
    const failed = settled();
    failed.ended(epoch(), T0 + 10, false, false, 0);
    assert.equal(failed.plan(epoch(), T0 + 20), null);
    const reset = settled();
    reset.reset();
    assert.equal(reset.plan(epoch(), T0 + 20), null);
    assert.equal(settled().plan(epoch(), T0 + FULL_PASS_EVERY_MS), null);
  });

  it('a run over changed ids only does not settle a new epoch', () => {
    const log = settled();
    log.ended(epoch({ commit: 'c2' }), T0 + 10, false, true, 3);
    assert.deepEqual(log.plan(epoch(), T0 + 20), []);
    assert.equal(log.plan(epoch({ commit: 'c2' }), T0 + 30), null);
  });
});
