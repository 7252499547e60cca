// How a zod validation failure becomes the messages users read, for every contract declared with
// zod (the agent's config, the engine's rules, the API's query parameters): one message per wrong
// key, each starting with the key's path (`server.port`, `rules.ignore[0].kind`). Each schema's
// error maps supply the wording after the path; this module only names the key.
import { z } from 'zod';

/** `server.port`, `rules.ignore[0].kind`: how every message names the key. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** One issue, one key: an issue about unknown keys becomes one entry per key. */
export function issueEntries(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ path: [...issue.path, k], message: issue.message }));
  return [{ path: issue.path, message: issue.message }];
}

/** `<path>: <message>` for every problem; `root` names the value itself (e.g. `rules`). */
export function issueMessages(
  issues: readonly z.core.$ZodIssue[],
  root: readonly PropertyKey[] = [],
): string[] {
  return issues.flatMap(issueEntries).map((e) => `${keyPath([...root, ...e.path])}: ${e.message}`);
}

/**
 * A map with exactly these keys: an unknown key is reported as `unknown <what> (expected one of
 * ...)`, anything but a map with `notAMap(issue)`.
 */
export function strictMap<S extends z.ZodRawShape>(
  shape: S,
  notAMap: (issue: { input?: unknown }) => string,
  what = 'key',
) {
  const expected = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown ${what} (expected one of ${expected})`;
      if (issue.code === 'invalid_type') return notAMap(issue);
      return undefined;
    },
  });
}

/** Drops `null` members of a map: in YAML an empty key (`severity:`) means "not given". */
export function withoutNulls(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
}
