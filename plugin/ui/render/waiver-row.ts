// The renderer for a waiver in `:waivers` (k9s's Header()/Render() pair): the columns of
// `kubectl driftguard waivers`, the id as short as `unwaive` takes it back.
import type { Waiver } from '../../../shared/types.ts';
import { SHORT_ID, until, waiverScopeText } from '../../output/waiver-rows.ts';
import type { Column } from './columns.ts';

export const WAIVER_COLUMNS: readonly Column[] = [
  { name: 'ID', min: SHORT_ID, grow: 0 },
  { name: 'STATE', min: 7, grow: 0 },
  { name: 'OWNER', min: 8, grow: 1 },
  { name: 'SCOPE', min: 16, grow: 3 },
  { name: 'EXPIRES', min: 8, grow: 0 },
  { name: 'REASON', min: 10, grow: 3 },
];

export function waiverRow(w: Waiver, now: number): string[] {
  const scope = waiverScopeText(w) + (w.scope.field ? ` ${w.scope.field}` : '');
  return [w.id.slice(0, SHORT_ID), w.state, w.owner, scope, until(w.expires_at, now), w.reason];
}

/** In force first (soonest to end first), then those that ended, as `waivers` lists them. */
export function waiverOrder(ws: readonly Waiver[]): Waiver[] {
  const rank = (w: Waiver) => (w.state === 'active' ? 0 : 1);
  return [...ws].sort((a, b) => rank(a) - rank(b) || a.expires_at.localeCompare(b.expires_at));
}

/** The question `u` asks, on the status line: the question first (a narrow screen cuts the details); y/n are on the hint bar. */
export function revokeQuestion(w: Waiver | undefined, id: string): string {
  const what = w ? ` ${waiverScopeText(w)}, ${w.owner}: ${w.reason}` : '';
  return `revoke waiver ${id.slice(0, SHORT_ID)}?${what}`;
}
