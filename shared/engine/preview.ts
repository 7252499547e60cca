// What a change to Git would do to the live cluster: for every object the change adds, removes or
// modifies, the fields applying the new revision would change in the cluster (head vs live), and
// among them the live drifts it would silently overwrite (live differs from the old revision, and the
// new one differs from live). Pure: rendered objects and live objects in, a report out. Secret
// values stay redacted, as in every drift detail.
import type { DriftDetail, KubeObject } from '../types.ts';
import { analyzeResource } from './analyze.ts';
import { canonicalJson } from './json.ts';
import type { EngineOptions } from './options.ts';
import type { DesiredObject } from './parse.ts';

export type PreviewChange = 'add' | 'modify' | 'prune';

export interface PreviewObject {
  resource_id: string;
  kind: string;
  namespace: string;
  name: string;
  change: PreviewChange;
  /** Where the new revision declares it (the old one for a prune). */
  source_file: string;
  live_exists: boolean;
  /** Fields applying the new revision changes in the cluster (desired = new value, live = now). */
  to_live: DriftDetail[];
  /** Those of to_live that are live drifts from the old revision: the change overwrites them. */
  overwrites: DriftDetail[];
}

export interface PreviewSummary {
  added: number;
  modified: number;
  pruned: number;
  /** Objects both revisions declare alike (not listed). */
  unchanged: number;
  fields_changed_live: number;
  drifts_overwritten: number;
}

export interface Preview {
  objects: PreviewObject[];
  summary: PreviewSummary;
}

function details(d: DesiredObject, live: KubeObject | undefined, opts: EngineOptions): DriftDetail[] {
  return live ? analyzeResource(d, live, opts, { gitCommit: null }).drift_details : [];
}

function entry(d: DesiredObject, change: PreviewChange, live: KubeObject | undefined, opts: EngineOptions) {
  const r = analyzeResource(d, live, opts, { gitCommit: null });
  return {
    resource_id: d.id,
    kind: d.object.kind,
    namespace: r.namespace,
    name: r.name,
    change,
    source_file: d.sourceFile,
    live_exists: live !== undefined,
  };
}

export function previewChange(
  base: readonly DesiredObject[],
  head: readonly DesiredObject[],
  live: ReadonlyMap<string, KubeObject>,
  opts: EngineOptions,
): Preview {
  const before = new Map(base.map((d) => [d.id, d]));
  const after = new Set(head.map((d) => d.id));
  const objects: PreviewObject[] = [];
  let unchanged = 0;
  for (const h of head) {
    const b = before.get(h.id);
    const l = live.get(h.id);
    if (b && canonicalJson(b.object) === canonicalJson(h.object)) {
      unchanged++;
      continue;
    }
    const toLive = details(h, l, opts);
    // A field overwritten: the old revision differs from live there too (live drifted from Git).
    const drifted = new Set(b ? details(b, l, opts).map((x) => x.path) : []);
    objects.push({
      ...entry(h, b ? 'modify' : 'add', l, opts),
      to_live: toLive,
      overwrites: toLive.filter((x) => drifted.has(x.path)),
    });
  }
  for (const b of base)
    if (!after.has(b.id))
      objects.push({ ...entry(b, 'prune', live.get(b.id), opts), to_live: [], overwrites: [] });
  objects.sort((x, y) => (x.resource_id < y.resource_id ? -1 : x.resource_id > y.resource_id ? 1 : 0));
  const count = (c: PreviewChange) => objects.filter((o) => o.change === c).length;
  return {
    objects,
    summary: {
      added: count('add'),
      modified: count('modify'),
      pruned: count('prune'),
      unchanged,
      fields_changed_live: objects.reduce((n, o) => n + o.to_live.length, 0),
      drifts_overwritten: objects.reduce((n, o) => n + o.overwrites.length, 0),
    },
  };
}
