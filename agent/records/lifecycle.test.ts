import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord, DriftResult, DriftStatus, Transition } from '../../shared/types.ts';
import { eventId, transition } from './lifecycle.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';

const inSync = result('web');
const scaled = result('web', [scalingDetail(3, 5)]);
const scaledMore = result('web', [scalingDetail(3, 7)]);
const scaledAndImage = result('web', [scalingDetail(3, 5), imageDetail('nginx:1.25', 'nginx:1.26')]);

/** Runs a sequence of verdicts from no record, one minute apart, returning the last record. */
function replay(verdicts: DriftResult[]): DriftRecord | null {
  let record: DriftRecord | null = null;
  verdicts.forEach((v, i) => {
    record = transition(record, v, new Date(Date.parse(T0) + i * 60_000).toISOString()).record;
  });
  return record;
}

interface Row {
  name: string;
  history: DriftResult[];
  next: DriftResult;
  status: DriftStatus;
  event: Transition | null;
  from?: DriftStatus;
}

const rows: Row[] = [
  { name: 'new resource in sync: none, no event', history: [], next: inSync, status: 'none', event: null },
  {
    name: 'new resource drifted: none→active, detected',
    history: [],
    next: scaled,
    status: 'active',
    event: 'detected',
    from: 'none',
  },
  { name: 'none→none: no event', history: [inSync], next: inSync, status: 'none', event: null },
  {
    name: 'none→active: detected',
    history: [inSync],
    next: scaled,
    status: 'active',
    event: 'detected',
    from: 'none',
  },
  { name: 'active, same drift: no event', history: [scaled], next: scaled, status: 'active', event: null },
  {
    name: 'active, value changed: updated',
    history: [scaled],
    next: scaledMore,
    status: 'active',
    event: 'updated',
    from: 'active',
  },
  {
    name: 'active, field added: updated',
    history: [scaled],
    next: scaledAndImage,
    status: 'active',
    event: 'updated',
    from: 'active',
  },
  {
    name: 'active→resolved: resolved',
    history: [scaled],
    next: inSync,
    status: 'resolved',
    event: 'resolved',
    from: 'active',
  },
  {
    name: 'resolved→resolved: no event',
    history: [scaled, inSync],
    next: inSync,
    status: 'resolved',
    event: null,
  },
  {
    name: 'resolved→active: detected again',
    history: [scaled, inSync],
    next: scaled,
    status: 'active',
    event: 'detected',
    from: 'resolved',
  },
];

describe('transition', () => {
  for (const row of rows) {
    it(row.name, () => {
      const previous = replay(row.history);
      const { record, event } = transition(previous, row.next, T3);
      assert.equal(record.drift_status, row.status);
      assert.equal(record.last_checked, T3);
      assert.equal(event?.event ?? null, row.event);
      if (event) {
        assert.equal(event.from_status, row.from);
        assert.equal(event.to_status, row.status);
        assert.equal(event.time, T3);
        // Named after the record the transition starts from (the analysis time for a new resource).
        assert.equal(
          event.event_id,
          eventId(row.next.resource_id, event.event, previous?.last_checked ?? T3),
        );
        assert.equal(event.resource_id, row.next.resource_id);
      }
    });
  }

  it('the same transition from the same stored record has the same event id, whenever it is computed', () => {
    // A leader killed after storing the event and before storing the record: the next leader
    // computes the transition again from the record that is stored, and stores no second event.
    const stored = transition(null, inSync, T0).record;
    const first = transition(stored, scaled, T1).event;
    const again = transition(stored, scaled, T2).event;
    assert.ok(first && again);
    assert.equal(again.event_id, first.event_id);
    assert.notEqual(again.time, first.time);
    // Every later transition starts from another record: a new id.
    const active = transition(stored, scaled, T1).record;
    const resolvedEvent = transition(active, inSync, T2).event;
    const resolvedRecord = transition(active, inSync, T2).record;
    const redetected = transition(resolvedRecord, scaled, T3).event;
    const ids = [first.event_id, resolvedEvent?.event_id, redetected?.event_id];
    assert.equal(new Set(ids).size, 3, ids.join(', '));
  });

  it('opens an episode at the first detection and keeps first_detected while it lasts', () => {
    const { record: first, event } = transition(null, scaled, T0);
    assert.equal(first.first_detected, T0);
    assert.equal(event?.message, 'replicas 3 → 5 (kubectl-scale)');
    const later = transition(first, scaledMore, T1).record;
    assert.equal(later.first_detected, T0);
    assert.deepEqual(later.drift_details, scaledMore.drift_details);
  });

  it('resolves with resolved_at, the last good hash and a message naming the manager', () => {
    const active = transition(transition(null, inSync, T0).record, scaled, T1).record;
    assert.equal(active.last_known_good_hash, 'sha256:desired');
    const { record, event } = transition(active, inSync, T2);
    assert.equal(record.resolved_at, T2);
    assert.equal(record.first_detected, T1);
    assert.equal(record.last_known_good_hash, inSync.live_hash);
    assert.equal(record.resolution_message, 'replicas back to 3 (was 5 by kubectl-scale)');
    assert.equal(event?.message, record.resolution_message);
    // The event names the drift that ended.
    assert.equal(event?.drift_type, 'Scaling');
    assert.equal(event?.severity, 'medium');
  });

  it('starts a new episode when a resolved record drifts again', () => {
    const resolvedRecord = replay([scaled, inSync]);
    assert.ok(resolvedRecord);
    const { record } = transition(resolvedRecord, scaledAndImage, T3);
    assert.equal(record.first_detected, T3);
    assert.equal(record.resolved_at, null);
    assert.equal(record.resolution_message, null);
    assert.equal(record.drift_type, 'Scaling');
  });

  it('keeps resolved_at and the message while a resolved record stays in sync', () => {
    const resolvedRecord = replay([scaled, inSync]);
    const { record } = transition(resolvedRecord, inSync, T3);
    assert.equal(record.resolved_at, resolvedRecord?.resolved_at);
    assert.equal(record.resolution_message, resolvedRecord?.resolution_message);
  });

  it('does not raise updated when the same fields come in another order', () => {
    const a = transition(null, scaledAndImage, T0).record;
    const reordered = { ...scaledAndImage, drift_details: [...scaledAndImage.drift_details].reverse() };
    assert.equal(transition(a, reordered, T1).event, null);
  });

  it('takes the record fields from the engine result, never its two-state drift_status', () => {
    const { record } = transition(null, scaled, T0);
    assert.equal(record.api_version, 'apps/v1');
    assert.equal(record.git_commit, 'abc1234');
    assert.equal(record.source_file, 'apps/web.yaml');
    assert.equal(record.severity, 'medium');
  });

  it('gives the same event id for the same transition at the same time (idempotent retries)', () => {
    assert.deepEqual(transition(null, scaled, T0).event, transition(null, scaled, T0).event);
    assert.notEqual(
      transition(null, scaled, T0).event?.event_id,
      transition(null, scaled, T1).event?.event_id,
    );
  });

  it('rejects a bad time and a record of another resource', () => {
    assert.throws(() => transition(null, scaled, 'yesterday'), /not an ISO 8601 date/);
    const other = transition(null, result('api'), T0).record;
    assert.throws(() => transition(other, scaled, T1), /does not belong/);
  });
});
