// The confirm stage for the plugin's --local commands, with the user's own credentials (as
// `kubectl diff` asks the server): an object whose comparison suspects drift is checked against
// the server's answer to a dry-run of Git's object; in-sync and Missing objects cost no request.
// `analyze`, `diff` and `revert` all go through `verdict`/`answerFor`, so they agree.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  analyzeResource,
  hasSuspectedDrift,
  type ConfirmAnswer,
  type DesiredObject,
  type EngineOptions,
} from '../../shared/engine/index.ts';
import type { Discovery } from '../../shared/node/kube/discovery.ts';
import { Confirmer } from '../../shared/node/kube/confirm/index.ts';
import type { DriftResult, KubeObject } from '../../shared/types.ts';

/** kubectl's own client budget (QPS 50, burst 300) is for reads; dry-runs run through admission. */
const PLUGIN_BUDGET = { qps: 20, burst: 50 };

export interface ConfirmStats {
  enabled: boolean;
  /** Objects whose suspected drift was checked against a server answer. */
  confirmed: number;
  /** Dry-run requests sent. */
  requests: number;
}

export class LocalConfirm {
  private readonly confirmer: Confirmer | null;
  private confirmedObjects = 0;

  constructor(kc: KubeConfig, discovery: Discovery, enabled: boolean) {
    this.confirmer = enabled ? new Confirmer(kc, discovery, PLUGIN_BUDGET) : null;
  }

  get stats(): ConfirmStats {
    return {
      enabled: this.confirmer !== null,
      confirmed: this.confirmedObjects,
      requests: this.confirmer?.stats.requests ?? 0,
    };
  }

  /**
   * The server's answer for an object the engine suspects (`first`, its verdict without one), or
   * undefined when there is nothing to confirm.
   */
  async answerFor(
    d: DesiredObject,
    live: KubeObject | undefined,
    first: DriftResult,
  ): Promise<ConfirmAnswer | undefined> {
    if (!live || !hasSuspectedDrift(first) || first.desired_hash === null) return undefined;
    if (!this.confirmer) return { ok: false, reason: 'not confirmed: --confirm=false' };
    const a = await this.confirmer.answer({
      object: d.object,
      namespace: first.namespace,
      live,
      desiredHash: first.desired_hash,
    });
    if (a.ok) this.confirmedObjects++;
    return a;
  }

  /** The verdict: the engine's, then confirmed when it suspects drift. */
  verdict(
    d: DesiredObject,
    live: KubeObject | undefined,
    engine: EngineOptions,
    commit: string | null,
  ): DriftResult | Promise<DriftResult> {
    const first = analyzeResource(d, live, engine, { gitCommit: commit });
    if (!live || !hasSuspectedDrift(first)) return first;
    return this.answerFor(d, live, first).then((a) =>
      analyzeResource(d, live, engine, { gitCommit: commit }, a),
    );
  }
}
