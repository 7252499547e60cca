// The summary lines of `status` and `status --all-clusters`: pure formatting of the API's figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterStatistics, LastAnalysis } from '../../shared/types.ts';
import { palette } from './color.ts';
import { clusterLine, clusterLines } from './status-line.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const analysis = (finished: string, version?: string): LastAnalysis => ({
  started_at: finished,
  finished_at: finished,
  duration_seconds: 1,
  resources: 10,
  git_commit: 'abcdef0123',
  ...(version ? { agent_version: version } : {}),
});
const cluster = (over: Partial<ClusterStatistics>): ClusterStatistics => ({
  cluster: 'east',
  total_resources: 0,
  active_drifts: 0,
  by_severity: {},
  last_analysis: null,
  agent_version: null,
  ...over,
});
const plain = palette(false);

describe('status --all-clusters lines', () => {
  it('says per cluster: tracked, active by severity, last analysis age, agent version', () => {
    const line = clusterLine(
      cluster({
        cluster: 'east',
        total_resources: 12,
        active_drifts: 3,
        by_severity: { high: 1, low: 2 },
        last_analysis: analysis('2026-01-01T11:58:00Z', '1.4.0'),
        agent_version: '1.4.0',
      }),
      plain,
      NOW,
    );
    assert.equal(
      line,
      'east: 12 resources tracked, 3 active drifts (1 high, 0 medium, 2 low), last analysis 2m ago, agent 1.4.0\n',
    );
  });

  it('one line per cluster in the order given; unknown version and no analysis are said, not blank', () => {
    const text = clusterLines(
      [
        cluster({ cluster: 'east', total_resources: 1, active_drifts: 1, by_severity: { medium: 1 } }),
        cluster({ cluster: 'west', last_analysis: analysis('2026-01-01T11:59:30Z') }),
      ],
      plain,
      NOW,
    );
    assert.deepEqual(text.split('\n'), [
      'east: 1 resources tracked, 1 active drift (0 high, 1 medium, 0 low), no analysis yet, agent version unknown',
      'west: 0 resources tracked, 0 active drifts (0 high, 0 medium, 0 low), last analysis 30s ago, agent version unknown',
      '',
    ]);
  });

  it('says when the database holds no cluster at all', () => {
    assert.match(clusterLines([], plain, NOW), /^No cluster has records or an analysis/);
  });

  it('colours the severities for a terminal', () => {
    const coloured = clusterLine(cluster({ active_drifts: 1, by_severity: { high: 1 } }), palette(true), NOW);
    assert.ok(coloured.includes('\u001b['), 'ANSI colour codes present');
    assert.notEqual(
      coloured,
      clusterLine(cluster({ active_drifts: 1, by_severity: { high: 1 } }), plain, NOW),
    );
  });
});
