// How a value is shown to a person, in every place one is shown: the plugin's tables and describe,
// the UI's detail view, the engine's one-line summaries and the agent's drift and resolution
// messages. Absent is null: the engine's details spell an absent side as null (and for the API server
// a field set to null is an unset one), so null and undefined read the same, `null`, everywhere;
// sentences say "added" / "removed" instead (see isAbsent).
import type { JsonValue } from './types.ts';

/** Whether a detail's side is absent (null, or undefined before a JSON round trip). */
export function isAbsent(v: JsonValue | undefined | null): v is null | undefined {
  return v === null || v === undefined;
}

/**
 * One line for a value: strings bare (the empty string as `""`, so it is visible), everything else
 * as compact JSON, absent as `null`; cut to `maxChars` with "…" when given.
 */
export function describeValue(v: JsonValue | undefined | null, maxChars = Infinity): string {
  if (isAbsent(v)) return 'null';
  const text = typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** Characters of common text kept before the first difference, so the change reads in context. */
const CONTEXT = 12;

/**
 * Both sides of a change, each cut to `maxChars`, but around their first difference: two long
 * values that differ late (a webhook's rules, a long command line) would otherwise be cut to the
 * same text and the change would not show. A cut start or end is marked with "…".
 */
export function describePair(
  desired: JsonValue | undefined | null,
  live: JsonValue | undefined | null,
  maxChars = Infinity,
): [string, string] {
  const a = describeValue(desired);
  const b = describeValue(live);
  if (a.length <= maxChars && b.length <= maxChars) return [a, b];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const start = i + 1 > maxChars - CONTEXT ? Math.max(0, i - CONTEXT) : 0;
  const cut = (t: string): string => {
    const head = start > 0 ? `…${t.slice(start)}` : t;
    return head.length > maxChars ? `${head.slice(0, maxChars - 1)}…` : head;
  };
  return [cut(a), cut(b)];
}
