// The audit join: which audited write caused a record's drift. Pure.
//
// A drift detail names the field manager that last wrote the field and when (managedFields' time,
// truncated to the second); the audit events name, for each write, its field manager, its time to
// the microsecond and who made it. The write behind a detail is the one by that manager within
// that second. When the live object's resourceVersion is that of an audited write (events at
// RequestResponse level carry it) by one of the managers, that write is the answer. A Missing drift
// is caused by a delete; a detail with no manager (an Unmanaged object) by the newest write.
import type { ChangeAuthor, DriftRecord } from '../../shared/types.ts';
import type { AuditWrite } from './write.ts';

/** managedFields times are truncated to the second; the audit's stageTimestamp follows the write. */
const EARLY_MS = 500;
const LATE_MS = 2000;

export function whoChanged(
  writes: readonly AuditWrite[],
  record: Pick<DriftRecord, 'drift_details' | 'drift_type' | 'last_checked'>,
  liveResourceVersion: string | null = null,
): AuditWrite | null {
  const until = Date.parse(record.last_checked) + LATE_MS;
  const before = writes.filter((w) => w.time <= until);
  if (before.length === 0) return null;
  if (record.drift_type === 'Missing') return newest(before.filter((w) => w.verb === 'delete'));
  const changes = before.filter((w) => w.verb !== 'delete');
  const managers = new Set(record.drift_details.map((d) => d.manager).filter((m) => m !== null));
  const byManager =
    managers.size === 0 ? changes : changes.filter((w) => [...managers].some((m) => managerMatches(w, m)));
  if (liveResourceVersion) {
    const exact = byManager.find((w) => w.resource_version === liveResourceVersion);
    if (exact) return exact;
  }
  for (const d of record.drift_details) {
    if (!d.manager || !d.changed_at) continue;
    const at = Date.parse(d.changed_at);
    const hit = newest(
      byManager.filter(
        (w) =>
          managerMatches(w, d.manager as string) && w.time >= at - EARLY_MS && w.time < at + 1000 + LATE_MS,
      ),
    );
    if (hit) return hit;
  }
  return newest(byManager);
}

/** The write was made under this field manager (see AuditWrite.explicit_manager). */
function managerMatches(w: AuditWrite, manager: string): boolean {
  if (w.manager === null) return false;
  return w.manager === manager || (!w.explicit_manager && manager.startsWith(`${w.manager}-`));
}

function newest(writes: readonly AuditWrite[]): AuditWrite | null {
  let best: AuditWrite | null = null;
  for (const w of writes) if (!best || w.time >= best.time) best = w;
  return best;
}

/** The record's form of a write. */
export function changeAuthor(w: AuditWrite, managers: readonly (string | null)[] = []): ChangeAuthor {
  // The name managedFields knows it by (kubectl-scale) when the request did not name it (kubectl).
  const named = w.explicit_manager ? null : managers.find((m) => m !== null && managerMatches(w, m));
  return {
    user: w.user,
    groups: w.groups,
    impersonated_by: w.impersonated_by,
    user_agent: w.user_agent,
    source_ips: w.source_ips,
    manager: named ?? w.manager,
    verb: w.verb,
    time: new Date(w.time).toISOString(),
    resource_version: w.resource_version,
    audit_id: w.audit_id,
  };
}
