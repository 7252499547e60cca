// The façade the HTTP API talks to (AgentControl): analyses go to the scheduler; readiness,
// counts, version, sources and the desired object with its revert plan come from the parts that
// hold them.
import { analyzeResource, revertPlan, type EngineOptions } from '../shared/engine/index.ts';
import type { RuleList } from '../shared/api/rule-shapes.ts';
import type { ConfirmStage } from '../shared/node/kube/confirm/stage.ts';
import type { AnalysisStatus, DesiredObjectResponse, SourceStatistics } from '../shared/types.ts';
import type { Scheduler } from './analysis/scheduler.ts';
import { ruleList } from './analysis/rule-list.ts';
import { engineFor } from './analysis/verdict.ts';
import type { AgentControl, ComponentState } from './api/control.ts';
import type { DesiredView } from './git/desired-view.ts';
import type { LiveView } from './kube/live-view.ts';

export interface ControlDeps {
  scheduler: Pick<Scheduler, 'triggerAnalysis' | 'analysis' | 'ruleHits'>;
  desired: DesiredView;
  live: LiveView;
  engine: () => EngineOptions;
  /** The verdicts' confirm stage: its cached answers shape the revert plans too. */
  confirm?: ConfirmStage;
  gitCommit: () => string | null;
  readiness: () => Promise<ComponentState[]>;
  watchedCounts: () => Record<string, number>;
  sources?: () => Omit<SourceStatistics, 'drifted'>[];
  /** Leader election state, for the API (absent: this replica always leads). */
  leadership?: () => { leading: boolean; holder: string | null };
  version: string;
  /** This agent's cluster name (config kubernetes.cluster). */
  cluster?: string;
}

export class ControlFacade implements AgentControl {
  constructor(private readonly deps: ControlDeps) {}

  triggerAnalysis(trigger: 'manual' | 'periodic' | 'git'): AnalysisStatus {
    return this.deps.scheduler.triggerAnalysis(trigger);
  }

  analysis(id: string): AnalysisStatus | undefined {
    return this.deps.scheduler.analysis(id);
  }

  readiness(): Promise<ComponentState[]> {
    return this.deps.readiness();
  }

  watchedCounts(): Record<string, number> {
    return this.deps.watchedCounts();
  }

  cluster(): string | undefined {
    return this.deps.cluster;
  }

  version(): { version: string; git_commit: string | null } {
    return { version: this.deps.version, git_commit: this.deps.gitCommit() };
  }

  desired(id: string): DesiredObjectResponse | undefined {
    const entry = this.deps.desired.get(id);
    if (!entry) return undefined;
    // The same engine options as the verdict, so the plan drops what the verdict ignores, and the
    // same confirm answer (cached with the verdict), so it leaves out what admission explains.
    const engine = engineFor(this.deps.engine(), entry);
    const live = this.deps.live.get(id, entry.desired.object.apiVersion);
    const first = this.deps.confirm
      ? analyzeResource(entry.desired, live, engine, { gitCommit: entry.commit })
      : undefined;
    const confirm = first && this.deps.confirm?.cachedAnswerFor(entry.desired, live, first);
    const plan = revertPlan(entry.desired, live, engine, { withholdSecretValues: true, confirm });
    return { ...plan, git_commit: entry.commit, head_commit: entry.headCommit ?? this.deps.gitCommit() };
  }

  leadership(): { leading: boolean; holder: string | null } {
    return this.deps.leadership?.() ?? { leading: true, holder: null };
  }

  sources(): Omit<SourceStatistics, 'drifted'>[] {
    return this.deps.sources?.() ?? [];
  }

  rules(): RuleList {
    return ruleList(this.deps.engine().rules, this.deps.scheduler.ruleHits(), this.deps.desired);
  }
}
