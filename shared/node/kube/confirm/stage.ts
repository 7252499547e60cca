// The confirm stage around the engine, as the agent and the plugin both run it: the engine's
// verdict first; only when it suspects drift in fields (not in sync, not Missing) is the server
// asked, and the verdict made again with its answer. With confirm off, suspected drift keeps the
// engine's verdict, every detail `confirmed: false` with `offReason`; no request is ever sent.
import {
  analyzeResource,
  hasSuspectedDrift,
  type AnalyzeContext,
  type ConfirmAnswer,
  type DesiredObject,
  type EngineOptions,
} from '../../../engine/index.ts';
import type { DriftResult, KubeObject } from '../../../types.ts';
import type { Confirmer } from './index.ts';

export class ConfirmStage {
  /** Objects whose suspected drift was checked against a server answer. */
  confirmed = 0;

  constructor(
    /** null: confirm is off. */
    readonly confirmer: Confirmer | null,
    private readonly offReason: string,
  ) {}

  /** Dry-run requests sent so far. */
  get requests(): number {
    return this.confirmer?.stats.requests ?? 0;
  }

  /**
   * The answer for an object whose verdict without one is `first`, or undefined when there is
   * nothing to confirm (in sync, Missing).
   */
  async answerFor(
    d: DesiredObject,
    live: KubeObject | undefined,
    first: DriftResult,
  ): Promise<ConfirmAnswer | undefined> {
    if (!live || !hasSuspectedDrift(first) || first.desired_hash === null) return undefined;
    if (!this.confirmer) return { ok: false, reason: this.offReason };
    const a = await this.confirmer.answer({
      object: d.object,
      namespace: first.namespace,
      live,
      desiredHash: first.desired_hash,
      liveHash: first.live_hash,
    });
    if (a.ok) this.confirmed++;
    return a;
  }

  /** The answer `answerFor` would give, from the cache or confirm being off: never a request. */
  cachedAnswerFor(
    d: DesiredObject,
    live: KubeObject | undefined,
    first: DriftResult,
  ): ConfirmAnswer | undefined {
    if (!live || !hasSuspectedDrift(first) || first.desired_hash === null) return undefined;
    if (!this.confirmer) return { ok: false, reason: this.offReason };
    return this.confirmer.cached({
      object: d.object,
      namespace: first.namespace,
      live,
      desiredHash: first.desired_hash,
      liveHash: first.live_hash,
    });
  }

  /** The verdict: the engine's, confirmed with the server where it suspects drift. */
  verdict(
    d: DesiredObject,
    live: KubeObject | undefined,
    engine: EngineOptions,
    ctx: AnalyzeContext,
  ): DriftResult | Promise<DriftResult> {
    const first = analyzeResource(d, live, engine, ctx);
    if (!live || !hasSuspectedDrift(first)) return first;
    return this.answerFor(d, live, first).then((a) => analyzeResource(d, live, engine, ctx, a));
  }
}
