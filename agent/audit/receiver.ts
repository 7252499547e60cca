// Where audit events come in: the webhook body (POST /api/v1/audit) and the lines of a tailed
// audit log. Each event is read on its own: one the agent cannot read is counted and skipped, so a
// newer API server's extra fields or one odd event never lose the rest of a batch.
import { AuditEvent, AuditEventList } from '../../shared/api/shapes.ts';
import type { AuditJournal } from './journal.ts';
import { auditWrite } from './write.ts';

export type KindOf = (group: string, resource: string) => string | undefined;

export interface Accepted {
  received: number;
  kept: number;
}

export class AuditReceiver {
  /** Events that were not audit events the agent can read. */
  unreadable = 0;

  constructor(
    readonly journal: AuditJournal,
    private kindOf: KindOf = () => undefined,
  ) {}

  /** The watched kinds, by API group and resource (set when the watches know them). */
  setKinds(kindOf: KindOf): void {
    this.kindOf = kindOf;
  }

  /** One event (a line of the log, an item of a list). */
  event(raw: unknown): boolean {
    const parsed = AuditEvent.safeParse(raw);
    if (!parsed.success) {
      this.unreadable++;
      return false;
    }
    const write = auditWrite(parsed.data, this.kindOf);
    if (!write) return false;
    this.journal.add(write);
    return true;
  }

  /** A webhook body; throws a message for the 400 answer when it is not an audit.k8s.io/v1 EventList. */
  list(body: unknown): Accepted {
    const head = AuditEventList.pick({ apiVersion: true, kind: true }).safeParse(body);
    const items = (body as { items?: unknown } | null)?.items;
    if (!head.success || !Array.isArray(items))
      throw new Error('expected an audit.k8s.io/v1 EventList (apiVersion, kind: EventList, items)');
    let kept = 0;
    for (const item of items) if (this.event(item)) kept++;
    return { received: items.length, kept };
  }
}
