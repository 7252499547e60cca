// What the HTTP API may ask of the running agent. The agent's ControlFacade (agent/control.ts)
// implements it; API tests may implement it with a small stand-in (test/api/control.ts).
import type {
  AnalysisStatus,
  ComponentState,
  DesiredObjectResponse,
  SourceStatistics,
  Version,
} from '../../shared/types.ts';

import type { RuleList } from '../../shared/api/rule-shapes.ts';

export type { ComponentState } from '../../shared/types.ts';

export interface AgentControl {
  /** Starts a full analysis, or joins the one already running; returns its status at once. */
  triggerAnalysis(trigger: 'manual' | 'periodic' | 'git'): AnalysisStatus;
  /** A recent analysis by id (the agent keeps at least the last 100), or undefined. */
  analysis(id: string): AnalysisStatus | undefined;
  /** Readiness of each component: store reachable, watches synced, desired state loaded. */
  readiness(): Promise<ComponentState[]>;
  /** Objects currently watched, by kind. */
  watchedCounts(): Record<string, number>;
  version(): Version;
  /** This agent's cluster name: its own line of the statistics' `clusters` is exact. */
  cluster?(): string | undefined;
  /**
   * The desired object Git declares for a tracked resource, with its revert plan against the live
   * object the agent watches; undefined when Git does not declare it. Secret values are withheld.
   */
  desired(id: string): DesiredObjectResponse | undefined;
  /** Leader election: whether this replica analyses (a follower only serves the API). */
  leadership?(): { leading: boolean; holder: string | null };
  /** The configured sources for /api/v1/statistics (drift counts are added from the records). */
  sources?(): Omit<SourceStatistics, 'drifted'>[];
  /** Every ignore rule with its match count (/api/v1/rules). */
  rules?(): RuleList;
}
