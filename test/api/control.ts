// An AgentControl for API tests, standing in for the scheduler: readiness and watched counts are
// set by the test, and a triggered analysis stays running until the test finishes it, so joining
// a running analysis can be observed.
import type { AgentControl, ComponentState } from '../../agent/api/control.ts';
import { ruleList } from '../../agent/analysis/rule-list.ts';
import type { DesiredEntry } from '../../agent/git/desired-view.ts';
import type { RuleList } from '../../shared/api/rule-shapes.ts';
import { defaultEngineOptions, emptyHits, type RuleHits } from '../../shared/engine/index.ts';
import type { AnalysisStatus, DesiredObjectResponse } from '../../shared/types.ts';

export class TestControl implements AgentControl {
  components: ComponentState[] = [
    { name: 'store', ready: true, message: 'store reachable' },
    { name: 'watches', ready: true, message: 'all watches synced' },
    { name: 'git', ready: true, message: 'desired state loaded' },
    // One per source, as the agent reports them (a `git:` section is the source `default`).
    {
      name: 'source:default',
      ready: true,
      message: 'desired state loaded',
      type: 'directory',
      render_failed: null,
    },
    { name: 'permissions', ready: true, message: 'may read every tracked kind' },
    // Always there, as on the agent: memory against the container limit, and the confirm stage.
    { name: 'memory', ready: true, message: 'RSS 80 MB, heap 40 MB; no container memory limit' },
    { name: 'confirm', ready: true, message: 'dry-run: may dry-run every tracked kind' },
  ];
  watched: Record<string, number> = { Deployment: 2, ConfigMap: 1 };
  /** Desired objects by resource id, set by the test. */
  desiredObjects = new Map<string, DesiredObjectResponse>();
  private readonly analyses = new Map<string, AnalysisStatus>();
  private running: AnalysisStatus | undefined;
  private next = 1;

  triggerAnalysis(trigger: 'manual' | 'periodic' | 'git'): AnalysisStatus {
    if (this.running) return { ...this.running };
    const status: AnalysisStatus = {
      analysis_id: `analysis-${this.next++}`,
      status: 'running',
      trigger,
      started_at: new Date().toISOString(),
      finished_at: null,
      resources: 0,
      drifted: 0,
      detected: 0,
      resolved: 0,
      error: null,
    };
    this.running = status;
    this.analyses.set(status.analysis_id, status);
    return { ...status };
  }

  /** Completes (or fails) the running analysis. */
  finish(outcome: Partial<AnalysisStatus> = {}): AnalysisStatus {
    const running = this.running;
    if (!running) throw new Error('no analysis running');
    const done: AnalysisStatus = {
      ...running,
      status: 'completed',
      finished_at: new Date().toISOString(),
      ...outcome,
    };
    this.analyses.set(done.analysis_id, done);
    this.running = undefined;
    return done;
  }

  analysis(id: string): AnalysisStatus | undefined {
    const status = this.analyses.get(id);
    return status && { ...status };
  }

  async readiness(): Promise<ComponentState[]> {
    return this.components.map((c) => ({ ...c }));
  }

  watchedCounts(): Record<string, number> {
    return { ...this.watched };
  }

  version(): { version: string; git_commit: string | null } {
    return { version: '0.1.0-test', git_commit: 'abc1234' };
  }

  desired(id: string): DesiredObjectResponse | undefined {
    return this.desiredObjects.get(id);
  }

  /** The rules the stand-in applies (the agent's defaults), and their hits as the test sets them. */
  engineRules = defaultEngineOptions().rules;
  ruleHits: RuleHits = emptyHits();
  desiredEntries = new Map<string, DesiredEntry>();

  rules(): RuleList {
    const entries = this.desiredEntries;
    return ruleList(this.engineRules, this.ruleHits, {
      get: (id) => entries.get(id),
      entries: () => entries.entries(),
    });
  }

  setReady(name: ComponentState['name'], ready: boolean, message: string): void {
    this.components = this.components.map((c) => (c.name === name ? { name, ready, message } : c));
  }
}
