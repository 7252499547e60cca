// The Unmanaged policy (drift.unmanaged: report): objects no source declares and nothing owns
// become records (Unmanaged, or Superseded for a generator's left-over); such a record resolves,
// and stays resolved, once its object is gone or made by a controller.
import {
  declaredIndex,
  unmanagedResult,
  type DeclaredIndex,
  type EngineOptions,
} from '../../shared/engine/index.ts';
import { parseResourceId, type DriftRecord, type DriftResult, type KubeObject } from '../../shared/types.ts';
import type { DesiredView } from '../git/desired-view.ts';
import type { LiveView } from '../kube/live-view.ts';
import {
  isUnmanagedRecord,
  nextState,
  noLongerDrifting,
  type RecordStep,
  type WritePolicy,
} from '../records/next-state.ts';

/** drift.unmanaged: report — objects no source declares and nothing owns become records. */
export interface UnmanagedOptions {
  /**
   * The tracked namespaces: kubernetes.namespaces when it lists some; else (empty) every namespace
   * a source declares an object in, so a namespace Git has nothing in (the agent's own, say) is not
   * reported object by object.
   */
  namespaces: readonly string[];
  /** Namespaces never reported (the control plane fills them itself): kubernetes.system_namespaces. */
  skipNamespaces: readonly string[];
}

export interface UnmanagedDeps {
  desired: DesiredView;
  live: LiveView;
  engine: () => EngineOptions;
  gitCommit: () => string | null;
  /** Absent: drift.unmanaged: ignore (the policy says nothing of any id). */
  unmanaged?: UnmanagedOptions;
}

/** An Unmanaged step: the record's next state and the live object its Event names. */
export type UnmanagedStep = RecordStep & { live?: KubeObject | undefined };

export class UnmanagedPolicy {
  /** What Git declares, for the verdicts; dropped when Git changes, rebuilt when needed. */
  private declared: DeclaredIndex | null = null;

  constructor(
    private readonly deps: UnmanagedDeps,
    /** Ids whose record is an active Unmanaged one (kept by the tallies). */
    private readonly active: ReadonlySet<string>,
  ) {}

  get enabled(): boolean {
    return this.deps.unmanaged !== undefined;
  }

  /** What Git declares has changed (or may have): the index is rebuilt when next needed. */
  forgetDeclared(): void {
    this.declared = null;
  }

  /** Whether a batch needs this untracked id's record: an Unmanaged candidate, or its record to resolve. */
  wanted(id: string): boolean {
    if (!this.deps.unmanaged) return false;
    return this.active.has(id) || this.deps.live.unmanaged?.(id) !== undefined;
  }

  /** Ids of the active Unmanaged records: a Git change looks at them again. */
  activeIds(): Iterable<string> {
    return this.active;
  }

  /** The Unmanaged candidates of a full run (none when the policy is off). */
  candidates(): Iterable<string> {
    return this.deps.unmanaged ? (this.deps.live.unmanagedIds?.() ?? []) : [];
  }

  /**
   * An id no source declares. Its verdict (Unmanaged, Superseded) is the next state; an active
   * Unmanaged record whose object is gone (or now made by a controller) resolves and stays,
   * resolved. Null: not an unmanaged matter (a record of an object that left Git goes).
   */
  step(id: string, previous: DriftRecord | null, now: string, policy: WritePolicy): UnmanagedStep | null {
    if (!this.deps.unmanaged) return null;
    const verdict = this.verdict(id);
    if (verdict)
      return { ...nextState(policy, verdict, previous, now), live: this.deps.live.unmanaged?.(id) };
    if (!previous || !isUnmanagedRecord(previous)) return null;
    if (previous.drift_status !== 'active')
      return { outcome: 'skipped', record: previous, event: null, write: false };
    return nextState(policy, noLongerDrifting(previous), previous, now);
  }

  private verdict(id: string): DriftResult | null {
    const options = this.deps.unmanaged;
    const ref = parseResourceId(id);
    if (!options || !ref || ref.namespace === '' || options.skipNamespaces.includes(ref.namespace))
      return null;
    const live = this.deps.live.unmanaged?.(id);
    if (!live) return null;
    const declared = this.declaredNow();
    const tracked =
      options.namespaces.length > 0
        ? options.namespaces.includes(ref.namespace)
        : declared.namespaces.has(ref.namespace);
    if (!tracked) return null;
    return unmanagedResult(id, live, declared, this.deps.engine(), {
      gitCommit: this.deps.gitCommit(),
      createdAt: (did) => {
        const at = this.deps.live.get(did)?.metadata['creationTimestamp'];
        return typeof at === 'string' ? at : undefined;
      },
    });
  }

  /** What Git declares, indexed once per Git change. */
  private declaredNow(): DeclaredIndex {
    return (this.declared ??= declaredIndex(
      Array.from(this.deps.desired.entries(), ([did, e]) => {
        const r = parseResourceId(did);
        const [kind, namespace, name] = [r?.kind ?? '', r?.namespace ?? '', r?.name ?? ''];
        return { id: did, kind, namespace, name, object: e.desired.object };
      }),
    ));
  }
}
