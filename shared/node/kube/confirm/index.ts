// The confirm stage's I/O, shared by the agent and the plugin: for an object whose comparison
// suspects drift, the server's answer to a dry-run of Git's object (shared/engine/confirm.ts does
// the rest, purely). Requests go through a QPS+burst budget, answers are cached per (live uid +
// resourceVersion, desired hash), and two analyses asking for the same key share one request.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConfirmAnswer } from '../../../engine/confirm.ts';
import type { KubeObject } from '../../../types.ts';
import type { Discovery } from '../discovery.ts';
import { RequestBudget, type BudgetOptions } from './budget.ts';
import { ConfirmCache, confirmKey } from './cache.ts';
import { dryRunApply, dryRunCreate, refusedAsNew, type DryRunOutcome, type DryRunResult } from './dry-run.ts';

export { RequestBudget, type BudgetOptions } from './budget.ts';
export { ConfirmCache, confirmKey } from './cache.ts';
export {
  CONFIRM_FIELD_MANAGER,
  dryRunApply,
  dryRunBody,
  dryRunCreate,
  refusedAsNew,
  type DryRunOutcome,
} from './dry-run.ts';

export interface ConfirmerOptions extends BudgetOptions {
  /** How long one dry-run may take before the drift stays unconfirmed (default 10 s). */
  timeoutMs?: number;
  cache?: ConfirmCache;
  /** Each request sent, with its outcome and how long it took (the agent's metrics). */
  onRequest?: (outcome: DryRunOutcome, seconds: number) => void;
}

export interface ConfirmRequest {
  /** Git's object as parsed (its namespace set). */
  object: KubeObject;
  namespace: string;
  live: KubeObject;
  /** The engine's desired_hash of the object: with live's uid and version, the cache key. */
  desiredHash: string;
  /** The engine's live_hash of the object (live as compared): its version in the cache key. */
  liveHash?: string | null;
}

export class Confirmer {
  /** Requests sent and how many of them the server answered. */
  readonly stats = { requests: 0, answered: 0 };
  private readonly budget: RequestBudget;
  private readonly cache: ConfirmCache;
  private readonly inflight = new Map<string, Promise<ConfirmAnswer>>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly discovery: Discovery,
    private readonly opts: ConfirmerOptions,
  ) {
    this.budget = new RequestBudget(opts);
    this.cache = opts.cache ?? new ConfirmCache();
  }

  /** The cached answer for `req`, if any: never a request (the agent's revert plans use it). */
  cached(req: ConfirmRequest): ConfirmAnswer | undefined {
    const key = confirmKey(req.live, req.desiredHash, req.liveHash);
    return key === null ? undefined : this.cache.get(key);
  }

  async answer(req: ConfirmRequest): Promise<ConfirmAnswer> {
    const key = confirmKey(req.live, req.desiredHash, req.liveHash);
    if (key === null) return this.ask(req);
    const cached = this.cache.get(key);
    if (cached) return cached;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.ask(req).then((a) => {
        this.cache.set(key, a);
        return a;
      });
      this.inflight.set(key, p);
      void p.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    return p;
  }

  private async ask(req: ConfirmRequest): Promise<ConfirmAnswer> {
    const { object } = req;
    let resource;
    try {
      resource = await this.discovery.resource(object.apiVersion, object.kind);
    } catch (err) {
      return {
        ok: false,
        reason: `no dry-run: discovery failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (!resource)
      return {
        ok: false,
        reason: `no dry-run: the server does not serve ${object.kind} (${object.apiVersion})`,
      };
    const timeout = this.opts.timeoutMs ?? 10_000;
    const created = await this.send(() => dryRunCreate(this.kc, object, resource, req.namespace, timeout));
    if (!refusedAsNew(created) || created.answer.ok) return created.answer;
    // Refused for what only a new object meets (a taken nodePort, a name-bound policy): the
    // server-side apply dry-run answers for the fields Git sets (confirm.ts trusts it no further).
    const applied = await this.send(() => dryRunApply(this.kc, object, resource, req.namespace, timeout));
    if (applied.answer.ok) return { ...applied.answer, refused: created.answer.reason };
    return { ok: false, reason: `${created.answer.reason}; then ${applied.answer.reason}` };
  }

  private async send(request: () => Promise<DryRunResult>): Promise<DryRunResult> {
    await this.budget.take();
    this.stats.requests++;
    const r = await request();
    if (r.outcome === 'ok') this.stats.answered++;
    this.opts.onRequest?.(r.outcome, r.seconds);
    return r;
  }
}
