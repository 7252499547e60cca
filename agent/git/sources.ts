// Several sources, one desired state: each source keeps its own (and its own last good state);
// this view merges them by resource id, naming the source of every object. Two sources declaring
// the same object is reported with both named, as two files are within one source; the first
// source in the config keeps the object. Sources found in the cluster (sources_from) come after the
// configured ones and may be added, changed and removed while the agent runs.
import type { IgnoreRule, ParseError } from '../../shared/engine/index.ts';
import type { SourceStatistics } from '../../shared/types.ts';
import type { DesiredEntry, DesiredView } from './desired-view.ts';
import type { DesiredSource } from './desired-source.ts';
import type { GitChange } from './git-source.ts';
import type { SourceSpec } from './source-spec.ts';

export class Sources implements DesiredView {
  private index = new Map<string, DesiredEntry>();
  private duplicates: ParseError[] = [];
  /** Discovered sources by name, with the spec they were made from (a changed spec makes a new one). */
  private discovered = new Map<string, { source: DesiredSource; key: string }>();
  /** Ids of sources that went away since the last sync: analysed again with it. */
  private orphaned = new Set<string>();

  constructor(private readonly configured: DesiredSource[]) {
    this.rebuild();
  }

  /** Configured sources first (config order), then the discovered ones by name. */
  get list(): DesiredSource[] {
    return [...this.configured, ...[...this.discovered.values()].map((d) => d.source)];
  }

  /**
   * Replaces the discovered sources: an unchanged spec keeps its source (and clone), a new or
   * changed one gets a fresh source from `make`; what a dropped source declared is analysed again
   * at the next sync. Returns the dropped sources (their clones are the caller's to remove).
   */
  setDiscovered(specs: SourceSpec[], make: (spec: SourceSpec) => DesiredSource): DesiredSource[] {
    const next = new Map<string, { source: DesiredSource; key: string }>();
    const dropped: DesiredSource[] = [];
    for (const spec of specs) {
      const key = JSON.stringify(spec);
      const had = this.discovered.get(spec.name);
      next.set(spec.name, had && had.key === key ? had : { source: make(spec), key });
    }
    for (const [name, had] of this.discovered)
      if (next.get(name)?.source !== had.source) {
        dropped.push(had.source);
        for (const [id] of had.source.desired.entries()) this.orphaned.add(id);
      }
    this.discovered = next;
    if (dropped.length > 0) this.rebuild();
    return dropped;
  }

  get(id: string): DesiredEntry | undefined {
    return this.index.get(id);
  }

  entries(): IterableIterator<[string, DesiredEntry]> {
    return this.index.entries();
  }

  get size(): number {
    return this.index.size;
  }

  get loaded(): boolean {
    return this.list.every((s) => s.desired.loaded);
  }

  /** Objects declared by two sources: one error per extra copy, naming both. */
  crossSourceDuplicates(): ParseError[] {
    return this.duplicates;
  }

  /** Per source: its type, tool, objects and whether its newest commit rendered (drift counts come from the records). */
  statistics(): Omit<SourceStatistics, 'drifted'>[] {
    return this.list
      .flatMap((s) => s.sourceStatuses?.() ?? [s.sourceStatus()])
      .map((st) => {
        return {
          name: st.name,
          type: st.type,
          tool: st.tool,
          git_commit: st.commit,
          objects: st.objects,
          skipped: st.skipped,
          unstable: st.unstable,
          render_failed: st.render_failed,
        };
      });
  }

  /** The newest commit of the first source (the `git_commit` of the agent's version). */
  get commit(): string | null {
    return this.list[0]?.commit ?? null;
  }

  /** Syncs every source (one after another: renders are CPU-heavy); merged changes, null when none changed. */
  async sync(): Promise<(GitChange & { newDuplicates: ParseError[] }) | null> {
    let merged: GitChange | null = null;
    if (this.orphaned.size > 0) {
      merged = { commit: this.commit ?? '', touched: new Set(this.orphaned), initial: false };
      this.orphaned.clear();
    }
    for (const source of this.list) {
      const change = await source.sync();
      if (!change) continue;
      merged = merged
        ? {
            commit: merged.commit,
            touched: new Set([...merged.touched, ...change.touched]),
            initial: merged.initial || change.initial,
          }
        : change;
    }
    if (!merged) return null;
    const known = new Set(this.duplicates.map((d) => d.message));
    this.rebuild();
    return { ...merged, newDuplicates: this.duplicates.filter((d) => !known.has(d.message)) };
  }

  private rebuild(): void {
    const next = new Map<string, DesiredEntry>();
    const duplicates: ParseError[] = [];
    for (const source of this.list) {
      const ignore: IgnoreRule[] = [...source.unstable, ...source.notCompared, ...(source.spec.ignore ?? [])];
      for (const [id, entry] of source.desired.entries()) {
        const first = next.get(id);
        const name = entry.source ?? source.name;
        if (first) {
          duplicates.push({
            file: entry.desired.sourceFile,
            line: null,
            message: `duplicate object ${id}: declared by source ${first.source} (${first.desired.sourceFile}) and source ${name} (${entry.desired.sourceFile})`,
          });
          continue;
        }
        // An entry naming its own source (a Helm release) is at its own source's head.
        const headCommit = entry.source ? entry.commit : source.commit;
        next.set(id, { ...entry, source: name, ignore, headCommit });
      }
    }
    this.index = next;
    this.duplicates = duplicates;
  }
}
