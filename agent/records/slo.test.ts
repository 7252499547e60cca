import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { driftRecord } from '../../shared/api/record.testkit.ts';
import { AgentMetrics } from '../metrics.ts';
import { CoverageTally, activeDrift, coverageSide, sloGroups, timeToResolveSeconds } from './slo.ts';

/** A record of source `apps`, first seen at 10:00, checked at 10:05. */
const record = (over: Partial<DriftRecord>): DriftRecord =>
  driftRecord({
    source: 'apps',
    drift_details: [],
    first_detected: '2026-12-06T10:00:00.000Z',
    last_checked: '2026-12-06T10:05:00.000Z',
    ...over,
  });

const T0 = Date.parse('2026-12-06T10:00:00.000Z');

describe('drift SLO tallies', () => {
  it('groups active drifts by severity and source with the oldest first detection', () => {
    const drifts = [
      activeDrift(record({ first_detected: '2026-12-06T10:00:00.000Z' }), 0),
      activeDrift(record({ first_detected: '2026-12-06T09:00:00.000Z' }), 0),
      activeDrift(record({ severity: 'low', first_detected: '2026-12-06T09:30:00.000Z' }), 0),
      activeDrift(record({ source: null, severity: 'low', drift_type: 'Unmanaged' }), 0),
    ];
    assert.deepEqual(sloGroups(drifts), [
      { severity: 'high', source: 'apps', active: 2, oldest: T0 - 3_600_000 },
      { severity: 'low', source: 'apps', active: 1, oldest: T0 - 1_800_000 },
      { severity: 'low', source: 'none', active: 1, oldest: T0 },
    ]);
    // A record without first_detected (stored before it existed) counts from the fallback.
    assert.equal(activeDrift(record({ first_detected: null }), 42).since, 42);
  });

  it('measures time to resolve, and refuses a missing or reversed pair', () => {
    const done = record({ drift_status: 'resolved', resolved_at: '2026-12-06T10:02:30.000Z' });
    assert.equal(timeToResolveSeconds(done), 150);
    assert.equal(timeToResolveSeconds(record({ resolved_at: null })), null);
    assert.equal(timeToResolveSeconds(record({ first_detected: null, resolved_at: done.resolved_at })), null);
    assert.equal(timeToResolveSeconds(record({ resolved_at: '2026-12-06T09:00:00.000Z' })), null);
  });

  it('counts coverage: live objects by the source that declares them, none for active Unmanaged ones', () => {
    const inSync = record({ drift_status: 'none', drift_type: null, severity: null });
    const missing = record({ drift_type: 'Missing' });
    const unmanaged = record({ desired_hash: null, drift_type: 'Unmanaged', source: null });
    const goneUnmanaged = { ...unmanaged, drift_status: 'resolved' as const };
    assert.equal(coverageSide(inSync), 'apps');
    assert.equal(coverageSide(record({ source: null })), 'default');
    assert.equal(coverageSide(missing), null);
    assert.equal(coverageSide(unmanaged), 'none');
    assert.equal(coverageSide(goneUnmanaged), null);

    const c = new CoverageTally();
    const b = record({ resource_id: 'b', source: 'infra' });
    c.move(null, inSync);
    c.move(null, b);
    c.move(null, unmanaged);
    assert.deepEqual(
      c.objects(),
      new Map([
        ['apps', 1],
        ['infra', 1],
        ['none', 1],
      ]),
    );
    c.move(inSync, missing); // the object was deleted
    c.move(unmanaged, goneUnmanaged);
    assert.deepEqual(c.objects(), new Map([['infra', 1]]));
    c.move(b, null);
    assert.deepEqual(c.objects(), new Map());
  });
});

describe('SLO metrics', () => {
  it('exports per-source counts, the oldest age at scrape time, coverage and time to resolve', async () => {
    let now = T0;
    const m = new AgentMetrics(() => now);
    m.setSlo({
      groups: [{ severity: 'high', source: 'apps', active: 2, oldest: T0 - 3_600_000 }],
      coverage: new Map([
        ['apps', 3],
        ['none', 1],
      ]),
    });
    m.observeResolved('medium', 'apps', 90);
    let text = await m.registry.metrics();
    assert.match(text, /^driftguard_active_drifts_by_source\{source="apps",severity="high"\} 2$/m);
    assert.match(text, /^driftguard_oldest_active_drift_age_seconds\{severity="high",source="apps"\} 3600$/m);
    assert.match(text, /^driftguard_coverage_ratio\{source="apps"\} 0\.75$/m);
    assert.doesNotMatch(text, /^driftguard_coverage_ratio\{source="none"\}/m);
    assert.match(text, /^driftguard_coverage_objects\{source="none"\} 1$/m);
    assert.match(
      text,
      /^driftguard_drift_time_to_resolve_seconds_bucket\{le="60",severity="medium",source="apps"\} 0$/m,
    );
    assert.match(
      text,
      /^driftguard_drift_time_to_resolve_seconds_bucket\{le="300",severity="medium",source="apps"\} 1$/m,
    );
    // The age grows between analyses; a group that is gone disappears; unknown coverage is absent.
    now += 60_000;
    assert.match(
      await m.registry.metrics(),
      /oldest_active_drift_age_seconds\{severity="high",source="apps"\} 3660$/m,
    );
    m.setSlo({ groups: [], coverage: null });
    text = await m.registry.metrics();
    assert.doesNotMatch(text, /^driftguard_oldest_active_drift_age_seconds\{/m);
    assert.doesNotMatch(text, /^driftguard_active_drifts_by_source\{/m);
    assert.doesNotMatch(text, /^driftguard_coverage_(ratio|objects)\{/m);
  });
});
