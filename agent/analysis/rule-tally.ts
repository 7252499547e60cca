// How many drifted fields each ignore rule made not drift, per object, as of each object's last
// verdict: /api/v1/rules sums them, so a rule that matches nothing shows 0. A remembered verdict
// (memo.ts) keeps its object's counts (same inputs, same hits); an object a rule could apply to
// whose counts this process has not seen yet (after a restart) is analysed again once.
import {
  emptyHits,
  nameOf,
  namespaceOf,
  targetedByRules,
  type EngineOptions,
  type RuleHits,
} from '../../shared/engine/index.ts';
import type { DesiredEntry } from '../git/desired-view.ts';

export class RuleTally {
  private readonly byObject = new Map<string, RuleHits>();

  set(id: string, hits: RuleHits): void {
    if (hits.rules.size === 0 && hits.annotation.size === 0) this.byObject.delete(id);
    else this.byObject.set(id, hits);
    this.seen.add(id);
  }

  /** Ids whose counts are known (analysed in this process, or no rule could apply to them). */
  private readonly seen = new Set<string>();

  /**
   * Whether a remembered verdict may stand for this object: its counts are known, or no rule's
   * object filters cover it and it has no annotation (then it has nothing to count but field-manager hits).
   */
  known(id: string, entry: DesiredEntry, engine: EngineOptions): boolean {
    if (this.seen.has(id)) return true;
    const o = entry.desired.object;
    const ns = namespaceOf(o, engine.defaultNamespace, engine.scopes);
    if (targetedByRules(o, ns, nameOf(o), entry.source, engine.rules)) return false;
    this.seen.add(id);
    return true;
  }

  forget(id: string): void {
    this.byObject.delete(id);
    this.seen.delete(id);
  }

  retain(ids: ReadonlySet<string>): void {
    for (const id of this.seen) if (!ids.has(id)) this.forget(id);
  }

  clear(): void {
    this.byObject.clear();
    this.seen.clear();
  }

  /** The sums over every object: by rule object, and by annotation path (with how many objects hit it). */
  totals(): RuleHits {
    const out = emptyHits();
    for (const hits of this.byObject.values()) {
      for (const [rule, n] of hits.rules) out.rules.set(rule, (out.rules.get(rule) ?? 0) + n);
      for (const [path, n] of hits.annotation) out.annotation.set(path, (out.annotation.get(path) ?? 0) + n);
    }
    return out;
  }
}
