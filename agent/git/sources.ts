// Several sources, one desired state: each source keeps its own (and its own last good state);
// this view merges them by resource id, naming the source of every object. Two sources declaring
// the same object is reported with both named, as two files are within one source; the first
// source in the config keeps the object.
import type { IgnoreRule, ParseError } from '../../shared/engine/index.ts';
import type { SourceStatistics } from '../../shared/types.ts';
import type { DesiredEntry, DesiredView } from './desired-view.ts';
import type { GitChange, GitSource } from './git-source.ts';

export class Sources implements DesiredView {
  private index = new Map<string, DesiredEntry>();
  private duplicates: ParseError[] = [];

  constructor(readonly list: GitSource[]) {
    this.rebuild();
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
    return this.list.map((s) => {
      const st = s.sourceStatus();
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
      const ignore: IgnoreRule[] = [...source.unstable, ...source.notCompared];
      for (const [id, entry] of source.desired.entries()) {
        const first = next.get(id);
        if (first) {
          duplicates.push({
            file: entry.desired.sourceFile,
            line: null,
            message: `duplicate object ${id}: declared by source ${first.source} (${first.desired.sourceFile}) and source ${source.name} (${entry.desired.sourceFile})`,
          });
          continue;
        }
        next.set(id, { ...entry, source: source.name, ignore, headCommit: source.commit });
      }
    }
    this.index = next;
    this.duplicates = duplicates;
  }
}
