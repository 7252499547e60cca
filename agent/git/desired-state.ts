// What Git says the cluster should hold, kept per file: a file that stops parsing keeps the
// objects of its last good version (and the commit they came from) until it parses again, so a
// bad commit to one file never makes the agent forget the others or report everything Missing.
import {
  parseManifests,
  type DesiredObject,
  type KindScopes,
  type ParseError,
} from '../../shared/engine/index.ts';

export interface FileState {
  objects: DesiredObject[];
  /** Commit the objects were parsed from. */
  commit: string;
  /** Set while the file's newest version does not parse. */
  error: ParseError | null;
}

/** A file's new content, or its objects as parsed before (from the parse cache: same path and blob). */
export type FileUpdate =
  { path: string; content: string | Uint8Array } | { path: string; objects: DesiredObject[] };

export interface ApplyOutcome {
  /** Ids whose desired object may have changed (added, edited, removed): analyse these. */
  touched: Set<string>;
  /** Files whose newest version did not parse (first error of each). */
  errors: ParseError[];
  /** Files that parse again after an error. */
  recovered: string[];
}

/**
 * The list as an array of its own length. An array filled by push has room for ~16 more (V8 grows
 * it ahead): with one object per file, as most repositories have, the spare room cost more than
 * the desired object's wrapper (measured: test/bench/held-state.ts, ~130 B per object).
 */
function exact<T>(list: T[]): T[] {
  return list.slice();
}

export class DesiredState {
  private readonly files = new Map<string, FileState>();
  private index = new Map<string, { desired: DesiredObject; commit: string }>();
  /** Ids defined in more than one file, as the engine reports them when given all files at once. */
  private duplicates: ParseError[] = [];
  loaded = false;

  constructor(
    private readonly defaultNamespace: string,
    /** Kind scopes from discovery, so a cluster-scoped custom resource gets no namespace. */
    private readonly scopes: () => KindScopes | undefined = () => undefined,
  ) {}

  /** Re-parses the given files, drops the deleted ones, and reports what changed. */
  apply(commit: string, updates: FileUpdate[], deleted: string[]): ApplyOutcome {
    const outcome: ApplyOutcome = { touched: new Set(), errors: [], recovered: [] };
    const idsOf = (path: string) => (this.files.get(path)?.objects ?? []).map((o) => o.id);
    for (const path of deleted) {
      for (const id of idsOf(path)) outcome.touched.add(id);
      this.files.delete(path);
    }
    for (const update of updates) {
      for (const id of idsOf(update.path)) outcome.touched.add(id);
      const parsed = 'objects' in update ? { objects: update.objects, errors: [] } : this.parse(update);
      const previous = this.files.get(update.path);
      const error = parsed.errors[0] ?? null;
      if (error) {
        outcome.errors.push(error);
        // Keep the last good objects; a file never seen good contributes what did parse.
        this.files.set(
          update.path,
          previous ? { ...previous, error } : { objects: exact(parsed.objects), commit, error },
        );
      } else {
        if (previous?.error) outcome.recovered.push(update.path);
        this.files.set(update.path, { objects: exact(parsed.objects), commit, error: null });
      }
      for (const id of idsOf(update.path)) outcome.touched.add(id);
    }
    const known = new Set(this.duplicates.map((e) => e.message));
    this.rebuildIndex();
    outcome.errors.push(...this.duplicates.filter((e) => !known.has(e.message)));
    this.loaded = true;
    return outcome;
  }

  private parse(file: { path: string; content: string | Uint8Array }): {
    objects: DesiredObject[];
    errors: ParseError[];
  } {
    const scopes = this.scopes();
    return parseManifests([file], { defaultNamespace: this.defaultNamespace, ...(scopes ? { scopes } : {}) });
  }

  /** The objects of each file whose newest version parsed (what its content at the commit gives). */
  *parsedFiles(): IterableIterator<[string, DesiredObject[]]> {
    for (const [path, state] of this.files) if (state.error === null) yield [path, state.objects];
  }

  /**
   * A rendered source: its objects replace the whole previous set at once (a render either worked,
   * and all of it is the new desired state, or failed, and none of it is). Objects are grouped by
   * the file they came from (template, patch or the kustomization) for the duplicate check.
   */
  replaceAll(commit: string, objects: DesiredObject[], errors: ParseError[]): ApplyOutcome {
    const outcome: ApplyOutcome = { touched: new Set(), errors: [...errors], recovered: [] };
    for (const state of this.files.values()) for (const o of state.objects) outcome.touched.add(o.id);
    this.files.clear();
    for (const o of objects) {
      outcome.touched.add(o.id);
      const state = this.files.get(o.sourceFile) ?? { objects: [], commit, error: null };
      state.objects.push(o);
      this.files.set(o.sourceFile, state);
    }
    for (const state of this.files.values()) state.objects = exact(state.objects);
    const first = errors[0];
    if (first)
      this.files.set(first.file, {
        objects: this.files.get(first.file)?.objects ?? [],
        commit,
        error: first,
      });
    const known = new Set(this.duplicates.map((e) => e.message));
    this.rebuildIndex();
    outcome.errors.push(...this.duplicates.filter((e) => !known.has(e.message)));
    this.loaded = true;
    return outcome;
  }

  /** Drops files no longer in the tree (after a full reload). */
  retainOnly(paths: Set<string>): Set<string> {
    const touched = new Set<string>();
    let dropped = false;
    for (const [path, state] of this.files) {
      if (paths.has(path)) continue;
      for (const o of state.objects) touched.add(o.id);
      this.files.delete(path);
      dropped = true;
    }
    // Nothing dropped, nothing to index again (a full load's apply has just built it: ~60 ms at 10,000 files).
    if (dropped) this.rebuildIndex();
    return touched;
  }

  get(id: string): { desired: DesiredObject; commit: string } | undefined {
    return this.index.get(id);
  }

  entries(): IterableIterator<[string, { desired: DesiredObject; commit: string }]> {
    return this.index.entries();
  }

  get size(): number {
    return this.index.size;
  }

  /** Files whose newest version does not parse, and objects defined in two files. */
  brokenFiles(): ParseError[] {
    return [...[...this.files.values()].flatMap((f) => (f.error ? [f.error] : [])), ...this.duplicates];
  }

  /** Duplicates across files: the first file (by path order) wins; each other copy is an error naming both files. */
  private rebuildIndex(): void {
    const next = new Map<string, { desired: DesiredObject; commit: string }>();
    const duplicates: ParseError[] = [];
    for (const path of [...this.files.keys()].sort()) {
      const state = this.files.get(path);
      for (const desired of state?.objects ?? []) {
        const first = next.get(desired.id);
        if (first)
          duplicates.push({
            file: path,
            line: null,
            message: `duplicate object ${desired.id}: defined in ${first.desired.sourceFile} and ${path}`,
          });
        else next.set(desired.id, { desired, commit: state?.commit ?? '' });
      }
    }
    this.index = next;
    this.duplicates = duplicates;
  }
}
