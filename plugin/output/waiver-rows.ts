// Table rows for waivers (`kubectl driftguard waivers`): one row per waiver, the id shortened as
// `unwaive` accepts it back (a unique prefix), the full id in -o wide.
import type { Waiver } from '../../shared/types.ts';
import { age } from './age.ts';
import type { Palette } from './color.ts';
import { renderTable, type Column } from './table.ts';

/** Characters of the id the table shows: unique among thousands of random UUIDs in practice. */
export const SHORT_ID = 8;

/** What the waiver covers: the resource as `get` prints it, or the rule's globs (`*` for any). */
export function waiverScopeText(w: Pick<Waiver, 'scope'>): string {
  const s = w.scope;
  if (s.resource_id !== null) {
    const [kind = '', ns = '', name = ''] = s.resource_id.split(':');
    return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
  }
  return `${s.kind ?? '*'}/${s.namespace ?? '*'}/${s.name ?? '*'}`;
}

/** `in 6d`, or `3m ago` once passed. */
export function until(iso: string, now: number): string {
  return Date.parse(iso) > now
    ? `in ${age(new Date(now).toISOString(), Date.parse(iso))}`
    : `${age(iso, now)} ago`;
}

/** When and how it ended, or `-` while in force. */
function ended(w: Waiver, now: number): string {
  const at = w.revoked_at ?? w.voided_at ?? (w.state === 'expired' ? w.expires_at : null);
  return at ? `${age(at, now)} ago` : '-';
}

export function renderWaiverTable(
  waivers: readonly Waiver[],
  opts: { wide: boolean; colors: Palette; now?: number },
): string {
  const now = opts.now ?? Date.now();
  const state = (w: Waiver) => (w.state === 'active' ? opts.colors.green(w.state) : opts.colors.dim(w.state));
  const columns: Column<Waiver>[] = [
    { header: 'ID', cell: (w) => (opts.wide ? w.id : w.id.slice(0, SHORT_ID)) },
    { header: 'SCOPE', cell: waiverScopeText },
    { header: 'FIELD', cell: (w) => w.scope.field ?? '*' },
    { header: 'STATE', cell: state },
    { header: 'OWNER', cell: (w) => w.owner },
    { header: 'EXPIRES', cell: (w) => until(w.expires_at, now) },
    ...(opts.wide
      ? [
          { header: 'CREATED', cell: (w: Waiver) => w.created_at },
          { header: 'ENDED', cell: (w: Waiver) => ended(w, now) },
        ]
      : []),
    { header: 'REASON', cell: (w) => w.reason },
  ];
  return renderTable(columns, [...waivers]);
}
