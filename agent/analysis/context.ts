// What the analysis stages share: their dependencies (the agent wires them) and the state the
// scheduler keeps across runs (verdict memo, gauge tallies, the Unmanaged policy, the status log).
import type { EngineOptions } from '../../shared/engine/index.ts';
import type { ConfirmStage } from '../../shared/node/kube/confirm/stage.ts';
import type { DesiredView } from '../git/desired-view.ts';
import type { LiveView } from '../kube/live-view.ts';
import type { RetireDeps } from '../records/retire.ts';
import type { Store } from '../store/store.ts';
import type { ChangeLog } from './changes.ts';
import type { VerdictMemo } from './memo.ts';
import type { RuleTally } from './rule-tally.ts';
import type { StatusLog } from './status.ts';
import type { Tallies } from './tallies.ts';
import type { UnmanagedOptions, UnmanagedPolicy } from './unmanaged.ts';

export interface AnalysisDeps extends RetireDeps {
  store: Store;
  desired: DesiredView;
  live: LiveView;
  /**
   * The engine options of this moment: the config's rules with the cluster facts discovery
   * learned last (scopes, CRD schemas). The same object until either changes.
   */
  engine: () => EngineOptions;
  gitCommit: () => string | null;
  /** Written with each last analysis, so agents sharing a database can see each other's version. */
  agentVersion?: string;
  /** Resolves once desired and live state are both loaded: before that every object would look Missing. */
  loaded: Promise<void>;
  /**
   * Resolves once the desired state has loaded (before `loaded` when the watches are still
   * listing): the memo keys' desired part is computed meanwhile.
   */
  desiredLoaded?: Promise<void>;
  /**
   * False for objects of a kind (and namespace) the agent may not read: they are neither analysed
   * nor removed, so a missing permission never shows up as drift or deletes a record.
   */
  analysable?: (kind: string, namespace: string) => boolean;
  /** The confirm stage (drift.confirm); absent: the engine's verdict alone (tests). */
  confirm?: ConfirmStage;
  /** Set: report Unmanaged / Superseded objects (drift.unmanaged: report); absent: ignore them. */
  unmanaged?: UnmanagedOptions;
  now?: () => Date;
}

/** The scheduler's state, as its stages read and update it. */
export interface AnalysisContext {
  deps: AnalysisDeps;
  /** Remembered verdicts: an id whose inputs are unchanged keeps its verdict without the engine. */
  memo: VerdictMemo;
  /** What changed since the last full pass: a full run over a quiet cluster is almost nothing. */
  changes: ChangeLog;
  /** Fields each ignore rule made not drift, per object (/api/v1/rules). */
  ruleTally: RuleTally;
  tallies: Tallies;
  unmanaged: UnmanagedPolicy;
  statuses: StatusLog;
  /** False once stopped or no longer leading: a run in progress ends after the write in flight. */
  running(): boolean;
  nowIso(): string;
}
