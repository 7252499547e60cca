// Time including callees per function name in a .cpuprofile (self time alone hides that, say,
// parsing is spread over a hundred small functions of the YAML library).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

/** "name: ms (share%)" for each name, sampled time of every stack it is on (counted once per sample). */
export function inclusiveTime(profilePath: string, names: readonly string[]): string[] {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as {
    nodes: Node[];
    startTime: number;
    endTime: number;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const wanted = new Set(names);
  const hits = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const h = n.hitCount ?? 0;
    if (h === 0) continue;
    total += h;
    const on = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)?.callFrame.functionName ?? '';
      if (wanted.has(name)) on.add(name);
    }
    for (const name of on) hits.set(name, (hits.get(name) ?? 0) + h);
  }
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, total);
  return names
    .filter((n) => hits.has(n))
    .map((n) => {
      const h = hits.get(n) ?? 0;
      return `${n}: ${Math.round(h * msPerHit)} ms (${((100 * h) / total).toFixed(1)}%)`;
    });
}
