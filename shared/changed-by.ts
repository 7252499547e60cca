// "changed by dev-1@example.com with kubectl-scale at 10:02": the person behind a drift, in every
// place one is shown (describe, the browser, notifications, Kubernetes Events). Times are UTC.
import type { ChangeAuthor } from './types.ts';

/** `HH:MM` in UTC. */
function clock(iso: string): string {
  return iso.slice(11, 16);
}

export function changedByText(a: ChangeAuthor): string {
  const by = a.impersonated_by ? `${a.user} (impersonated by ${a.impersonated_by})` : a.user;
  const verb = a.verb === 'delete' ? 'deleted' : a.verb === 'create' ? 'created' : 'changed';
  return `${verb} by ${by}${a.manager ? ` with ${a.manager}` : ''} at ${clock(a.time)}`;
}
