// The live views of the watches: the main one (each kind in the version it is watched in: Git's,
// else the preferred one) and one per other apiVersion Git uses for a kind (several versions of a
// kind in Git). Every view keeps whole only the objects Git names; the rest is a light index.
import type { LiveChange, LiveEntry } from './live-state.ts';
import { LiveState } from './live-state.ts';
import type { KubeObject } from '../../shared/types.ts';

/** Reads one object whole, through the watch feeding `state` (null: no such watch, or gone). */
export type ViewFetcher = (state: LiveState, entry: LiveEntry) => Promise<KubeObject | null>;

export class VersionViews {
  readonly main = new LiveState();
  private readonly others = new Map<string, LiveState>();
  private readonly listeners: ((change: LiveChange) => void)[] = [];
  private tracked: (id: string) => boolean = () => true;

  constructor(private readonly fetch: ViewFetcher) {
    this.prepare(this.main);
  }

  all(): LiveState[] {
    return [this.main, ...this.others.values()];
  }

  /** The view of `apiVersion` (made on first use). */
  of(apiVersion: string): LiveState {
    let s = this.others.get(apiVersion);
    if (!s) {
      s = new LiveState();
      this.prepare(s);
      for (const l of this.listeners) s.onChange(l);
      this.others.set(apiVersion, s);
    }
    return s;
  }

  /** The live object for a desired object: in the version Git names for it when that is watched. */
  get(id: string, apiVersion?: string): KubeObject | undefined {
    return (apiVersion !== undefined ? this.others.get(apiVersion)?.get(id) : undefined) ?? this.main.get(id);
  }

  /** Which ids every view keeps whole (the objects Git names). */
  trackOnly(tracked: (id: string) => boolean): void {
    this.tracked = tracked;
    for (const s of this.all()) s.trackOnly(tracked);
  }

  /** Changes from every view, whatever version it reads (views made later included). */
  onChange(listener: (change: LiveChange) => void): void {
    this.listeners.push(listener);
    for (const s of this.all()) s.onChange(listener);
  }

  /** Unannounced changes over every view; a view made later counts as one (see LiveView.changeMark). */
  changeMark(): number {
    let n = this.others.size;
    for (const s of this.all()) n += s.changeMark();
    return n;
  }

  /** Reads whole, in every view, the tracked objects among `ids` held light (see LiveState.ensure). */
  async ensure(ids: Iterable<string>): Promise<number> {
    const list = [...ids];
    let n = 0;
    for (const s of this.all()) n += await s.ensure(list);
    return n;
  }

  /** Slims, in every view, the objects Git no longer names. */
  compact(): number {
    let n = 0;
    for (const s of this.all()) n += s.compact();
    return n;
  }

  /** An object Git starts to name after it was listed light is read whole through the watch feeding its view. */
  private prepare(state: LiveState): void {
    state.trackOnly(this.tracked);
    state.setFetcher((entry) => this.fetch(state, entry));
  }
}
