// Waivers on a record's life: waived while in force, active again (with an event that says why)
// when it expires, is revoked, or the live value changes again; a partial cover waives nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftDetail, DriftRecord, StoredWaiver } from '../../shared/types.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { transition } from './lifecycle.ts';
import { applyWaivers, waivedSignature } from './waivers.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const ID = 'Deployment:shop:web';

function waiver(over: Partial<StoredWaiver> = {}): StoredWaiver {
  return {
    id: 'w1',
    cluster: 'default',
    owner: 'dev-1@example.com',
    reason: 'load test',
    scope: { resource_id: ID, kind: null, namespace: null, name: null, field: 'spec.replicas' },
    created_at: T0,
    expires_at: at(60),
    revoked_at: null,
    voided_at: null,
    signature: waivedSignature(
      { resource_id: ID, kind: null, namespace: null, name: null, field: 'spec.replicas' },
      [scalingDetail(2, 5)],
    ),
    ...over,
  };
}

/** One analysis: the engine's details at `time`, under these waivers. */
function step(previous: DriftRecord | null, details: DriftDetail[], waivers: StoredWaiver[], time: string) {
  const next = transition(previous, result('web', details, 'shop'), time);
  return applyWaivers(next, previous, waivers, time);
}

describe('waivers', () => {
  it('waives a covered drift until the waiver expires, then it is active with an event', () => {
    const w = [waiver()];
    const first = step(null, [scalingDetail(2, 5)], w, at(1));
    assert.equal(first.record.drift_status, 'waived');
    assert.deepEqual(first.record.waiver, {
      id: 'w1',
      owner: 'dev-1@example.com',
      reason: 'load test',
      expires_at: at(60),
    });
    assert.equal(first.event?.event, 'detected');
    assert.equal(first.event?.to_status, 'waived');
    assert.match(first.event?.message ?? '', /^waived by dev-1@example\.com until .*: load test$/);
    // Still waived, nothing to say.
    const quiet = step(first.record, [scalingDetail(2, 5)], w, at(30));
    assert.equal(quiet.record.drift_status, 'waived');
    assert.equal(quiet.event, null);
    // The expiry.
    const back = step(quiet.record, [scalingDetail(2, 5)], w, at(61));
    assert.equal(back.record.drift_status, 'active');
    assert.equal('waiver' in back.record, false);
    assert.equal(back.event?.event, 'detected');
    assert.equal(back.event?.from_status, 'waived');
    assert.match(back.event?.message ?? '', /^waiver w1 expired: /);
    assert.equal(back.record.first_detected, at(1), 'the same episode');
  });

  it('a new live value voids a one-resource waiver at once', () => {
    const w = [waiver()];
    const first = step(null, [scalingDetail(2, 5)], w, at(1));
    const changed = step(first.record, [scalingDetail(2, 7)], w, at(2));
    assert.equal(changed.record.drift_status, 'active');
    assert.match(changed.event?.message ?? '', /^waiver w1 is void: the live value changed again/);
    assert.deepEqual(
      changed.voided.map((v) => v.id),
      ['w1'],
    );
  });

  it('an active drift becomes waived when a waiver is made; revoked, it is active again', () => {
    const active = step(null, [scalingDetail(2, 5)], [], at(1));
    assert.equal(active.record.drift_status, 'active');
    const waived = step(active.record, [scalingDetail(2, 5)], [waiver()], at(2));
    assert.equal(waived.record.drift_status, 'waived');
    assert.equal(waived.event?.event, 'updated');
    assert.equal(waived.event?.from_status, 'active');
    const revoked = step(waived.record, [scalingDetail(2, 5)], [waiver({ revoked_at: at(3) })], at(3));
    assert.equal(revoked.record.drift_status, 'active');
    assert.match(revoked.event?.message ?? '', /^waiver w1 was revoked/);
  });

  it('waives only when every drifted field is covered; a rule covers by kind, namespace and name globs', () => {
    const two = [scalingDetail(2, 5), imageDetail('web:1', 'web:2')];
    assert.equal(step(null, two, [waiver()], at(1)).record.drift_status, 'active');
    const rule = waiver({
      scope: { resource_id: null, kind: 'Deploy*', namespace: 'sh*', name: null, field: null },
      signature: null,
    });
    assert.equal(step(null, two, [rule], at(1)).record.drift_status, 'waived');
    const other = waiver({ ...rule, scope: { ...rule.scope, namespace: 'payments' } });
    assert.equal(step(null, two, [other], at(1)).record.drift_status, 'active');
  });

  it('a waived drift that goes away resolves, from waived', () => {
    const first = step(null, [scalingDetail(2, 5)], [waiver()], at(1));
    const gone = step(first.record, [], [waiver()], at(2));
    assert.equal(gone.record.drift_status, 'resolved');
    assert.equal(gone.event?.event, 'resolved');
    assert.equal(gone.event?.from_status, 'waived');
  });
});
