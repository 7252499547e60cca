// The desired state as the analysis reads it: one entry per resource id, whatever source or file
// it came from. Declared here, with the desired state (Sources implements it); the analysis only
// reads it.
import { kindKeyOf, type DesiredObject, type IgnoreRule } from '../../shared/engine/index.ts';

export interface DesiredEntry {
  desired: DesiredObject;
  commit: string;
  /** The source it comes from, recorded on its record and events. */
  source?: string;
  /** Fields of this object that are unstable across renders: never drift. */
  ignore?: IgnoreRule[];
  /** The newest commit of its source (the entry's own commit may be older for a plain directory). */
  headCommit?: string | null;
}

export interface DesiredView {
  get(id: string): DesiredEntry | undefined;
  entries(): IterableIterator<[string, DesiredEntry]>;
}

/** The desired objects within the watched kinds (by kind key) and namespaces. */
export function trackedOnly(
  desired: DesiredView,
  tracked: (key: string, namespace: string) => boolean,
): DesiredView {
  const ok = (entry: DesiredEntry | undefined): entry is DesiredEntry =>
    entry !== undefined &&
    tracked(kindKeyOf(entry.desired.object), String(entry.desired.object.metadata['namespace'] ?? ''));
  return {
    get: (id) => {
      const entry = desired.get(id);
      return ok(entry) ? entry : undefined;
    },
    *entries() {
      for (const pair of desired.entries()) if (ok(pair[1])) yield pair;
    },
  };
}

/** The versions the desired objects use for a kind key, so its watch reads live objects in that version. */
export function desiredVersions(desired: DesiredView, key: string): string[] {
  const out = new Set<string>();
  for (const [, entry] of desired.entries()) {
    const o = entry.desired.object;
    if (kindKeyOf(o) === key) out.add(o.apiVersion.slice(o.apiVersion.indexOf('/') + 1));
  }
  return [...out];
}
