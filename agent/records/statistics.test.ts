import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftEvent, DriftRecord, DriftResult, LastAnalysis } from '../../shared/types.ts';
import { transition } from './lifecycle.ts';
import { buildStatistics, driftScore } from './statistics.ts';
import { meanTimeToResolveSeconds } from './resolve-time.ts';
import { activeTrend } from './trend.ts';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';

const NOW = '2026-01-02T00:00:00.000Z';
const minutesAgo = (m: number): string => new Date(Date.parse(NOW) - m * 60_000).toISOString();

/** Replays verdicts per resource, collecting the final records and every event. */
function simulate(timeline: [string, DriftResult][]): { records: DriftRecord[]; events: DriftEvent[] } {
  const records = new Map<string, DriftRecord>();
  const events: DriftEvent[] = [];
  for (const [time, verdict] of timeline) {
    const out = transition(records.get(verdict.resource_id) ?? null, verdict, time);
    records.set(verdict.resource_id, out.record);
    if (out.event) events.push(out.event);
  }
  return { records: [...records.values()], events };
}

const analysis: LastAnalysis = {
  started_at: minutesAgo(1),
  finished_at: NOW,
  duration_seconds: 60,
  resources: 4,
  git_commit: 'abc',
};

describe('statistics', () => {
  const { records, events } = simulate([
    [minutesAgo(120), result('web', [scalingDetail(3, 5)])],
    [minutesAgo(120), result('api', [imageDetail('a:1', 'a:2')], 'shop')],
    [minutesAgo(120), result('db', [], 'shop')],
    [minutesAgo(120), result('cache', [scalingDetail(1, 2)], 'shop')],
    [minutesAgo(60), result('web')],
    [minutesAgo(30), result('cache', [], 'shop')],
  ]);

  it('counts resources, active and resolved drifts, and groups active ones', () => {
    const s = buildStatistics(records, events, analysis, NOW);
    assert.equal(s.total_resources, 4);
    assert.equal(s.drifted_resources, 1);
    assert.equal(s.active_drifts, 1);
    assert.equal(s.resolved_drifts, 2);
    assert.deepEqual(s.by_type, { VersionChange: 1 });
    assert.deepEqual(s.by_severity, { high: 1 });
    assert.deepEqual(s.by_namespace, { shop: 1 });
    assert.deepEqual(s.last_analysis, analysis);
  });

  it('averages the time from detection to resolution over resolved episodes', () => {
    // web: 60 min, cache: 90 min.
    assert.equal(buildStatistics(records, events, null, NOW).mean_time_to_resolve_seconds, 75 * 60);
  });

  it('falls back to the resolved record when its detected event is outside the events given', () => {
    assert.equal(meanTimeToResolveSeconds(records, []), 75 * 60);
    assert.equal(
      meanTimeToResolveSeconds(
        records.filter((r) => r.drift_status !== 'resolved'),
        [],
      ),
      null,
    );
  });

  it('counts each episode of a resource that drifted twice', () => {
    const twice = simulate([
      [minutesAgo(100), result('web', [scalingDetail(3, 5)])],
      [minutesAgo(90), result('web')],
      [minutesAgo(50), result('web', [scalingDetail(3, 4)])],
      [minutesAgo(20), result('web')],
    ]);
    assert.equal(meanTimeToResolveSeconds(twice.records, twice.events), 20 * 60);
  });

  it('scores drift by severity share: 0 in sync, 1 all high, 0 with nothing tracked', () => {
    assert.equal(driftScore([]), 0);
    const allHigh = simulate([
      [NOW, result('a', [imageDetail('x', 'y')])],
      [NOW, result('b', [imageDetail('x', 'z')])],
    ]);
    assert.equal(driftScore(allHigh.records), 1);
    const synced = simulate([[NOW, result('a')]]);
    assert.equal(driftScore(synced.records), 0);
    // One high drift among four resources: (3/3)/4.
    assert.equal(buildStatistics(records, events, null, NOW).drift_score, 0.25);
    const oneMedium = simulate([
      [NOW, result('a', [scalingDetail(1, 2)])],
      [NOW, result('b')],
      [NOW, result('c')],
    ]);
    assert.equal(driftScore(oneMedium.records), 0.2222);
  });

  it('traces active drifts over the last 24 h, ending with now', () => {
    const s = buildStatistics(records, events, null, NOW);
    assert.deepEqual(
      s.trend.map((p) => p.active),
      [0, 1, 2, 3, 2, 1, 1],
    );
    assert.equal(s.trend.at(-1)?.time, NOW);
    assert.equal(s.trend[0]?.time, minutesAgo(24 * 60));
  });

  it('samples the trend at even intervals when there are too many events', () => {
    const many: [string, DriftResult][] = [];
    for (let i = 0; i < 200; i++) many.push([minutesAgo(600 - i), result(`r${i}`, [scalingDetail(1, 2)])]);
    const sim = simulate(many);
    const trend = activeTrend(200, sim.events, NOW, { maxPoints: 60 });
    assert.equal(trend.length, 60);
    assert.equal(trend[0]?.active, 0);
    assert.equal(trend.at(-1)?.active, 200);
    assert.equal(trend.at(-1)?.time, NOW);
    for (let i = 1; i < trend.length; i++) assert.ok((trend[i]?.active ?? 0) >= (trend[i - 1]?.active ?? 0));
  });

  it('never goes below zero when events belong to records deleted since', () => {
    const ghost = simulate([[minutesAgo(10), result('gone', [scalingDetail(1, 2)])]]);
    assert.deepEqual(
      activeTrend(0, ghost.events, NOW).map((p) => p.active),
      [0, 0, 0],
    );
  });
});
