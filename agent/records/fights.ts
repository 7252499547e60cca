// Fights (issue 27): a field whose field manager keeps changing (an HPA against Git's replicas, a
// script against kubectl, two controllers) is one record flagged `fight` naming the managers, with
// one notification, not one per flip. The tracker watches each drifted field's manager from one
// verdict to the next; a field put back to Git's value counts as Git's side (`git`: the engine
// names no manager for a field in sync). Kept in memory by the leader; the flag itself is stored on
// the record, so it outlives a restart until its window passes without a flip.
import type { DriftEvent, DriftFight, DriftRecord } from '../../shared/types.ts';
import type { TransitionOutcome } from './lifecycle.ts';

/** What a field back at Git's value counts as. */
export const GIT_SIDE = 'git';

export interface FightPolicy {
  /** Manager changes within the window that make a fight; 0: off. */
  flips: number;
  windowMs: number;
}

interface Flip {
  at: number;
  from: string;
  to: string;
}

interface FieldWatch {
  manager: string;
  seenAt: number;
  flips: Flip[];
}

const key = (id: string, path: string): string => `${id}\u0000${path}`;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Whether an event is one a fight already announced: kept in the history, not sent again. */
export function quietInFight(record: DriftRecord, event: DriftEvent): boolean {
  return Boolean(record.fight) && record.fight?.flagged_at !== event.time;
}

export class FightTracker {
  private readonly fields = new Map<string, FieldWatch>();
  private sweptAt = 0;

  constructor(private readonly policy: FightPolicy) {}

  /** The next state with its fight flag: set, kept, or cleared once the window passes without a flip. */
  apply(next: TransitionOutcome, previous: DriftRecord | null, now: string): TransitionOutcome {
    if (this.policy.flips === 0) return next;
    const at = Date.parse(now);
    this.sweep(at);
    const { record } = next;
    const drifting = record.drift_status === 'active' || record.drift_status === 'waived';
    if (drifting)
      for (const d of record.drift_details)
        if (d.manager) this.observe(record.resource_id, d.path, d.manager, at);
    // Back to Git's value: the fields the previous verdict held drifted are Git's again.
    if (record.drift_status === 'resolved' && previous?.drift_status !== 'resolved')
      for (const d of previous?.drift_details ?? []) this.observe(record.resource_id, d.path, GIT_SIDE, at);
    const fight = this.fightOf(record, previous, at);
    const was = previous?.fight ?? null;
    if (!fight) return was || record.fight ? { ...next, record: { ...record, fight: null } } : next;
    const flagged: DriftFight = { ...fight, flagged_at: was?.flagged_at ?? now };
    const event =
      !was && next.event
        ? { ...next.event, message: fightMessage(flagged, this.policy, next.event.message) }
        : next.event;
    // A fight flagged with no transition to carry it (an unchanged verdict) waits for the next one.
    if (!was && !next.event) return { ...next, record: { ...record, fight: null } };
    return { record: { ...record, fight: flagged }, event };
  }

  private observe(id: string, path: string, manager: string, at: number): void {
    const k = key(id, path);
    const watch = this.fields.get(k);
    if (!watch) {
      this.fields.set(k, { manager, seenAt: at, flips: [] });
      return;
    }
    if (watch.manager !== manager) watch.flips.push({ at, from: watch.manager, to: manager });
    watch.manager = manager;
    watch.seenAt = at;
    watch.flips = watch.flips.filter((f) => f.at > at - this.policy.windowMs);
  }

  /** The record's most fought-over field within the window, if it reaches the policy's flips. */
  private fightOf(
    record: DriftRecord,
    previous: DriftRecord | null,
    at: number,
  ): Omit<DriftFight, 'flagged_at'> | null {
    const paths = new Set([...record.drift_details, ...(previous?.drift_details ?? [])].map((d) => d.path));
    if (previous?.fight) paths.add(previous.fight.path);
    let best: Omit<DriftFight, 'flagged_at'> | null = null;
    for (const path of paths) {
      const flips = (this.fields.get(key(record.resource_id, path))?.flips ?? []).filter(
        (f) => f.at > at - this.policy.windowMs,
      );
      if (flips.length < this.policy.flips || (best && best.flips >= flips.length)) continue;
      const first = flips[0] as Flip;
      const last = flips[flips.length - 1] as Flip;
      const managers = [...new Set(flips.flatMap((f) => [f.from, f.to]))];
      best = { path, managers, flips: flips.length, since: iso(first.at), last_flip: iso(last.at) };
    }
    if (best) return best;
    // Flagged before (say, by the replica that led before a restart) and still within its window.
    const was = previous?.fight;
    if (was && Date.parse(was.last_flip) > at - this.policy.windowMs) {
      const { flagged_at: _at, ...rest } = was;
      return rest;
    }
    return null;
  }

  /** Forgets fields quiet for a whole window, at most once a window/10. */
  private sweep(at: number): void {
    if (at - this.sweptAt < this.policy.windowMs / 10) return;
    this.sweptAt = at;
    for (const [k, w] of this.fields) if (w.seenAt <= at - this.policy.windowMs) this.fields.delete(k);
  }
}

/** `fight: spec.replicas flips between script and kubectl-scale (3 times in 10m): <the drift>`. */
export function fightMessage(f: DriftFight, policy: FightPolicy, message: string | null): string {
  const minutes = Math.round(policy.windowMs / 60_000);
  const within = minutes >= 1 ? `${minutes}m` : `${Math.round(policy.windowMs / 1000)}s`;
  const head = `fight: ${f.path} flips between ${f.managers.join(' and ')} (${f.flips} times in ${within})`;
  return message ? `${head}: ${message}` : head;
}
