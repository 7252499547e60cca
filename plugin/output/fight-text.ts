// How a fight reads in describe and the browser: the field, the managers taking it in turn, how
// often and since when.
import type { DriftFight } from '../../shared/types.ts';

export function fightText(f: DriftFight): string {
  return `${f.path} flips between ${f.managers.join(' and ')}: ${f.flips} times since ${f.since} (last ${f.last_flip}; notified once, at ${f.flagged_at})`;
}
