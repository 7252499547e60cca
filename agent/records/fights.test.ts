// Fights, pure: a field whose manager flips N times within the window is flagged once (the event
// that flags it says so; later flips are quiet), both managers named; flips back to Git's value
// count (an HPA against Git); the flag clears once a window passes without a flip; one manager
// rewriting its own value is no fight; 0 flips turns it off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { FightTracker, GIT_SIDE, quietInFight } from './fights.ts';
import { transition, type TransitionOutcome } from './lifecycle.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const POLICY = { flips: 3, windowMs: 600_000 };

/** Runs verdicts through transition + tracker as the agent does; replicas by manager, or null = in sync. */
function run(tracker: FightTracker, steps: [number, number | null, string?][]): TransitionOutcome[] {
  let previous: DriftRecord | null = null;
  const out: TransitionOutcome[] = [];
  for (const [s, replicas, manager] of steps) {
    const details = replicas === null ? [] : [scalingDetail(2, replicas, manager ?? null)];
    const next = tracker.apply(transition(previous, result('web', details, 'shop'), at(s)), previous, at(s));
    out.push(next);
    previous = next.record;
  }
  return out;
}

describe('fights', () => {
  it('flags a field two managers flip N times in the window, once, naming both', () => {
    const out = run(new FightTracker(POLICY), [
      [0, 5, 'script'],
      [10, 3, 'kubectl-scale'],
      [20, 5, 'script'],
      [30, 3, 'kubectl-scale'],
      [40, 5, 'script'],
      [50, 3, 'kubectl-scale'],
    ]);
    assert.deepEqual(
      out.map((o) => o.record.fight?.flips ?? 0),
      [0, 0, 0, 3, 4, 5],
    );
    const fight = out[5]?.record.fight;
    assert.ok(fight);
    assert.deepEqual(fight.managers, ['script', 'kubectl-scale']);
    assert.equal(fight.path, 'spec.replicas');
    assert.equal(fight.since, at(10));
    assert.equal(fight.flagged_at, at(30));
    const flagging = out[3];
    assert.ok(flagging?.event);
    assert.match(
      flagging.event.message ?? '',
      /^fight: spec\.replicas flips between script and kubectl-scale \(3 times in 10m\): /,
    );
    // Every event is kept; only the flagging one is announced.
    const announced = out.filter((o) => o.event && !quietInFight(o.record, o.event));
    assert.equal(announced.length, 4, 'detected, two updates before the fight, the one flagging it');
  });

  it('counts a return to Git as a flip (an HPA against the replicas Git declares)', () => {
    const out = run(new FightTracker(POLICY), [
      [0, 5, 'horizontal-pod-autoscaler'],
      [10, null],
      [20, 5, 'horizontal-pod-autoscaler'],
      [30, null],
    ]);
    const fight = out[3]?.record.fight;
    assert.ok(fight, JSON.stringify(out.map((o) => o.record.fight)));
    assert.deepEqual(fight.managers, ['horizontal-pod-autoscaler', GIT_SIDE]);
    assert.equal(out[3]?.record.drift_status, 'resolved');
  });

  it('is no fight when one manager rewrites its own value, or when the flips are spread wider than the window', () => {
    const alone = run(new FightTracker(POLICY), [
      [0, 5, 'script'],
      [10, 6, 'script'],
      [20, 7, 'script'],
      [30, 8, 'script'],
    ]);
    assert.ok(alone.every((o) => !o.record.fight));
    const slow = run(new FightTracker(POLICY), [
      [0, 5, 'script'],
      [400, 3, 'kubectl-scale'],
      [800, 5, 'script'],
      [1200, 3, 'kubectl-scale'],
    ]);
    assert.ok(slow.every((o) => !o.record.fight));
  });

  it('clears the flag once a window passes without a flip, and the next flips are announced again', () => {
    const out = run(new FightTracker(POLICY), [
      [0, 5, 'script'],
      [10, 3, 'kubectl-scale'],
      [20, 5, 'script'],
      [30, 3, 'kubectl-scale'],
      [700, 4, 'kubectl-scale'],
    ]);
    assert.ok(out[3]?.record.fight);
    assert.equal(out[4]?.record.fight, null);
    const last = out[4];
    assert.ok(last?.event && !quietInFight(last.record, last.event));
  });

  it('is off with 0 flips', () => {
    const out = run(new FightTracker({ flips: 0, windowMs: 600_000 }), [
      [0, 5, 'script'],
      [10, 3, 'kubectl-scale'],
      [20, 5, 'script'],
      [30, 3, 'kubectl-scale'],
    ]);
    assert.ok(out.every((o) => !o.record.fight));
  });
});
