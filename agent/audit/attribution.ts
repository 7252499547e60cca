// Who caused each drift, as records, Events and notifications say it (config audit). The join runs
// on every analysis of an active record, so an audit event that arrives after the watch event
// (the webhook batches; the log is read every half second) is joined at the object's next look.
// A detection's Event and notifications wait up to `waitMs` for its audit event, so they can name
// the person; after that they go out with the field managers alone.
import type { DriftRecord } from '../../shared/types.ts';
import type { AuditJournal } from './journal.ts';
import { changeAuthor, whoChanged } from './join.ts';

interface Held {
  record: DriftRecord;
  tell: (record: DriftRecord) => void;
  timer: NodeJS.Timeout;
}

export class AuditAttribution {
  private readonly held = new Map<string, Held[]>();

  constructor(
    readonly journal: AuditJournal,
    private readonly waitMs: number,
  ) {
    journal.onWrite((w) => this.release(w.resource_id, false));
  }

  /**
   * The record with `changed_by` set for an active drift (the write the join finds, else the one
   * found earlier in the same episode); a resolved record keeps its episode's. The key is left out
   * when there is nothing to say, so records without audit are stored as before.
   */
  attribute(
    record: DriftRecord,
    previous: DriftRecord | null,
    liveResourceVersion: string | null,
  ): DriftRecord {
    const { changed_by: _drop, ...bare } = record;
    const sameEpisode = previous !== null && previous.first_detected === record.first_detected;
    const earlier = sameEpisode ? (previous.changed_by ?? null) : null;
    let found = earlier;
    if (record.drift_status === 'active' || record.drift_status === 'waived') {
      const w = whoChanged(this.journal.writes(record.resource_id), record, liveResourceVersion);
      if (w)
        found = changeAuthor(
          w,
          record.drift_details.map((d) => d.manager),
        );
    }
    return found ? { ...bare, changed_by: found } : bare;
  }

  /** Calls `tell` with the record once its author is known, or after waitMs without one. */
  whenKnown(record: DriftRecord, tell: (record: DriftRecord) => void): void {
    if (record.changed_by || this.waitMs <= 0) return tell(record);
    const id = record.resource_id;
    const held: Held = { record, tell, timer: setTimeout(() => this.release(id, held), this.waitMs) };
    held.timer.unref();
    this.held.set(id, [...(this.held.get(id) ?? []), held]);
  }

  /** Sends what is held for `id` and now joins (and `expired`, joined or not: its wait is over). */
  private release(id: string, expired: Held | true | false): void {
    const list = this.held.get(id);
    if (!list) return;
    const out: Held[] = [];
    for (const h of list) {
      const w = whoChanged(this.journal.writes(id), h.record);
      if (!w && expired !== true && expired !== h) out.push(h);
      else {
        clearTimeout(h.timer);
        h.tell(
          w
            ? {
                ...h.record,
                changed_by: changeAuthor(
                  w,
                  h.record.drift_details.map((d) => d.manager),
                ),
              }
            : h.record,
        );
      }
    }
    if (out.length > 0) this.held.set(id, out);
    else this.held.delete(id);
  }

  /** Sends everything held at once (the agent stops). */
  flush(): void {
    for (const id of [...this.held.keys()]) this.release(id, true);
  }
}
