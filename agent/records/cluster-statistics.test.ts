// summaryCounts (what the cluster publisher publishes) counts as the statistics do: the oracle is
// recordTotals on the same records, none, active of each severity, resolved, and an active record
// without a severity (written before severities existed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageDetail, result, scalingDetail } from '../../test/records/details.ts';
import { summaryCounts } from './cluster-statistics.ts';
import { transition } from './lifecycle.ts';
import { recordTotals } from './statistics.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';

describe('summaryCounts', () => {
  it('gives the statistics’ total_resources, active_drifts and by_severity', () => {
    const open = (name: string, details = [scalingDetail(2, 5)]) =>
      transition(null, result(name, details), T0, 'east').record;
    const resolved = transition(open('fixed'), result('fixed', []), T1, 'east').record;
    assert.equal(resolved.drift_status, 'resolved');
    const noSeverity = { ...open('old'), severity: null };
    const records = [
      open('a'),
      open('b', [imageDetail('a:1', 'a:2')]),
      open('c', [imageDetail('a:1', 'a:3')]),
      open('in-sync', []),
      resolved,
      noSeverity,
    ];
    const { counts } = recordTotals(records, []);
    const want = {
      total_resources: counts.total_resources,
      active_drifts: counts.active_drifts,
      by_severity: counts.by_severity,
    };
    assert.deepEqual(summaryCounts(records), want);
    assert.deepEqual(want, { total_resources: 6, active_drifts: 4, by_severity: { medium: 1, high: 2 } });
    assert.deepEqual(summaryCounts([]), { total_resources: 0, active_drifts: 0, by_severity: {} });
  });
});
