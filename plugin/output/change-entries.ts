// A list item whose key changed (a Service port 80 → 8080) is one change to a person, though the
// engine reports it as the old item removed and the new one added (items are matched by key).
// Tables pair the two into one entry, so a port change is not counted and shown as two.
import { describePair, describeValue } from '../../shared/describe.ts';
import type { DriftDetail, JsonValue } from '../../shared/types.ts';

/** `spec.ports[port=80]` → [`spec.ports`, `port=80`]; null when the path does not end in a list item. */
function itemOf(path: string): [string, string] | null {
  const m = /^(.*)\[([^\]]*)\]$/.exec(path);
  return m ? [m[1] as string, m[2] as string] : null;
}

const absent = (v: JsonValue | undefined): boolean => v === null || v === undefined;

function nameOf(v: JsonValue | undefined): JsonValue | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v['name'] : undefined;
}

/**
 * For each detail that removes a list item, the detail that adds its replacement in the same list:
 * the only addition there when there is one of each, else the one whose item has the same `name`.
 */
export function replacements(details: readonly DriftDetail[]): Map<DriftDetail, DriftDetail> {
  const byList = new Map<string, { removed: DriftDetail[]; added: DriftDetail[] }>();
  for (const d of details) {
    const item = itemOf(d.path);
    if (!item || absent(d.desired) === absent(d.live)) continue;
    let g = byList.get(item[0]);
    if (!g) byList.set(item[0], (g = { removed: [], added: [] }));
    (absent(d.live) ? g.removed : g.added).push(d);
  }
  const out = new Map<DriftDetail, DriftDetail>();
  for (const { removed, added } of byList.values()) {
    if (removed.length === 1 && added.length === 1) {
      out.set(removed[0] as DriftDetail, added[0] as DriftDetail);
      continue;
    }
    for (const r of removed) {
      const name = nameOf(r.desired);
      const a = name === undefined ? undefined : added.filter((x) => nameOf(x.live) === name);
      if (a?.length === 1) out.set(r, a[0] as DriftDetail);
    }
  }
  return out;
}

/** The details as a person counts changes: a replaced item's removal and addition become one. */
export function changeEntries(details: readonly DriftDetail[]): DriftDetail[][] {
  const pairs = replacements(details);
  const paired = new Set(pairs.values());
  const out: DriftDetail[][] = [];
  for (const d of details) {
    if (paired.has(d)) continue;
    const add = pairs.get(d);
    out.push(add ? [d, add] : [d]);
  }
  return out;
}

const isMap = (v: JsonValue | undefined): v is { [k: string]: JsonValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** One line for a replaced item, its changed fields only: `spec.ports[port=80] → [port=8080]: port 80 → 8080`. */
export function summarizeReplacement(removed: DriftDetail, added: DriftDetail): string {
  const head = `${removed.path} → [${itemOf(added.path)?.[1] ?? added.path}]`;
  const was = removed.desired;
  const now = added.live;
  if (!isMap(was) || !isMap(now)) return `${head}: ${describePair(was, now, 60).join(' → ')}`;
  const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(
    (k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]),
  );
  const parts = keys.map((k) => {
    if (was[k] === undefined) return `${k} added (${describeValue(now[k], 40)})`;
    if (now[k] === undefined) return `${k} removed (was ${describeValue(was[k], 40)})`;
    return `${k} ${describePair(was[k], now[k], 40).join(' → ')}`;
  });
  return `${head}: ${parts.join(', ')}`;
}
