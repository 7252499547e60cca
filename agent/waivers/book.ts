// The agent's waivers (issue 27): kept in the store beside the records, held in memory for the
// analysis (records/waivers.ts decides what they do to a record), made and revoked through the API.
// Each change asks for the records it touches to be analysed again; so does each expiry, at its
// time. Every replica reloads the list every interval, so a waiver made through a follower reaches
// the leader.
import { randomUUID } from 'node:crypto';
import { WaiverRequest } from '../../shared/api/shapes.ts';
import { parseResourceId, type DriftRecord, type StoredWaiver, type Waiver } from '../../shared/types.ts';
import { parseDuration } from '../../shared/units.ts';
import type { Logger } from '../log.ts';
import type { TransitionOutcome } from '../records/lifecycle.ts';
import { applyWaivers, waivedSignature, waiverState } from '../records/waivers.ts';

/** What the book needs of the store (both real stores have it). */
export interface WaiverStore {
  waivers?(): Promise<StoredWaiver[]>;
  saveWaiver?(waiver: StoredWaiver): Promise<void>;
  getRecord(resourceId: string): Promise<DriftRecord | null>;
}

/** A request the API answers with 400, saying what is wrong. */
export class WaiverInputError extends Error {}

/** The longest waiver: a year. Known drift accepted for longer belongs in Git or the rules. */
const MAX_MS = 366 * 86_400_000;

export class WaiverBook {
  private list: StoredWaiver[] = [];
  private expiry: NodeJS.Timeout | undefined;
  private reload: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: WaiverStore,
    private readonly cluster: string,
    private readonly log: Logger,
    /** Analyse again what a waiver touches (it was made, revoked or expired). */
    private readonly changed: (waiver: StoredWaiver) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reads the waivers now and then every `intervalMs`. */
  async start(intervalMs: number): Promise<void> {
    const load = () =>
      this.load().catch((err: unknown) =>
        this.log.warn({ event: 'waivers_unreadable', err: String(err) }, 'could not read the waivers'),
      );
    await load();
    this.reload = setInterval(() => void load(), intervalMs);
    this.reload.unref();
  }

  stop(): void {
    clearInterval(this.reload);
    clearTimeout(this.expiry);
  }

  async load(): Promise<void> {
    if (!this.store.waivers) return;
    const fresh = await this.store.waivers();
    const known = new Map(this.list.map((w) => [w.id, JSON.stringify(w)]));
    this.list = fresh;
    for (const w of fresh) if (known.get(w.id) !== JSON.stringify(w)) this.changed(w);
    this.armExpiry();
  }

  /** The waivers as the analysis applies them. */
  current(): readonly StoredWaiver[] {
    return this.list;
  }

  /** Every waiver with its state now. */
  all(): Waiver[] {
    const now = this.now().getTime();
    return this.list.map((w) => ({ ...w, state: waiverState(w, now) }));
  }

  /** The record's next state under the waivers; a one-resource waiver its drift no longer matches is made void. */
  apply(next: TransitionOutcome, previous: DriftRecord | null, now: string): TransitionOutcome {
    const out = applyWaivers(next, previous, this.list, now);
    for (const w of out.voided) this.save({ ...w, voided_at: now }).catch(() => undefined);
    return { record: out.record, event: out.event };
  }

  async create(body: unknown): Promise<Waiver> {
    const parsed = WaiverRequest.safeParse(body);
    if (!parsed.success) throw new WaiverInputError(parsed.error.issues.map((i) => i.message).join('; '));
    const r = parsed.data;
    const now = this.now();
    const expires =
      r.for !== undefined
        ? now.getTime() + (parseDuration(r.for) ?? Number.NaN)
        : Date.parse(r.expires_at ?? '');
    if (Number.isNaN(expires))
      throw new WaiverInputError(`for: ${JSON.stringify(r.for)} is not a duration such as 7d, 12h or 30m`);
    if (expires <= now.getTime()) throw new WaiverInputError('the expiry must be in the future');
    if (expires - now.getTime() > MAX_MS) throw new WaiverInputError('a waiver lasts at most 366d');
    if (r.resource_id !== undefined && !parseResourceId(r.resource_id))
      throw new WaiverInputError(`resource_id ${JSON.stringify(r.resource_id)} is not Kind:namespace:name`);
    const scope = {
      resource_id: r.resource_id ?? null,
      kind: r.resource_id === undefined ? (r.kind ?? null) : null,
      namespace: r.resource_id === undefined ? (r.namespace ?? null) : null,
      name: r.resource_id === undefined ? (r.name ?? null) : null,
      field: r.field ?? null,
    };
    const record = scope.resource_id ? await this.store.getRecord(scope.resource_id) : null;
    const drifting = record && (record.drift_status === 'active' || record.drift_status === 'waived');
    const waiver: StoredWaiver = {
      id: randomUUID(),
      cluster: this.cluster,
      owner: r.owner,
      reason: r.reason,
      scope,
      created_at: now.toISOString(),
      expires_at: new Date(expires).toISOString(),
      revoked_at: null,
      voided_at: null,
      signature: drifting ? waivedSignature(scope, record.drift_details) : null,
    };
    await this.save(waiver);
    return { ...waiver, state: waiverState(waiver, now.getTime()) };
  }

  /** Revokes a waiver; null when there is none with that id. */
  async revoke(id: string): Promise<Waiver | null> {
    await this.load();
    const w = this.list.find((x) => x.id === id);
    if (!w) return null;
    const now = this.now();
    const revoked = w.revoked_at ? w : { ...w, revoked_at: now.toISOString() };
    if (revoked !== w) await this.save(revoked);
    return { ...revoked, state: waiverState(revoked, now.getTime()) };
  }

  private async save(waiver: StoredWaiver): Promise<void> {
    if (!this.store.saveWaiver) throw new Error('this store keeps no waivers');
    await this.store.saveWaiver(waiver);
    this.list = [...this.list.filter((w) => w.id !== waiver.id), waiver];
    this.log.info(
      {
        event: 'waiver_saved',
        waiver_id: waiver.id,
        owner: waiver.owner,
        state: waiverState(waiver, this.now().getTime()),
      },
      `waiver ${waiver.id} by ${waiver.owner} until ${waiver.expires_at}`,
    );
    this.changed(waiver);
    this.armExpiry();
  }

  /** A timer at the next expiry, so the drift it covered is active again at that moment. */
  private armExpiry(): void {
    clearTimeout(this.expiry);
    const now = this.now().getTime();
    const next = this.list
      .filter((w) => waiverState(w, now) === 'active')
      .sort((a, b) => Date.parse(a.expires_at) - Date.parse(b.expires_at))[0];
    if (!next) return;
    // setTimeout holds at most ~24.8 days; a later expiry re-arms at the next reload.
    const wait = Math.min(Date.parse(next.expires_at) - now + 50, 2 ** 31 - 1);
    this.expiry = setTimeout(() => {
      this.changed(next);
      this.armExpiry();
    }, wait);
    this.expiry.unref();
  }
}
