// The live cluster, fed by the watches, keyed by resource id. Only objects Git names (tracked)
// are kept whole, as the engine needs them (managedFields for attribution, Secret data for
// hashing); every other object is a light index entry (kind, namespace, name, owner,
// resourceVersion), so 100,000 untracked objects cost a few MB rather than their full JSON. An
// untracked object no controller made (a candidate for drift type Unmanaged) also keeps the few
// fields that verdict reads (`unmanagedFacts`), when unmanaged objects are reported. A tracked
// object is kept without what the engine drops before it compares and never reads (`liveProjection`:
// status, the last-applied annotation), often half of it. It
// tells its listener about each real change (a new resourceVersion, an add, a delete) so that one
// object can be analysed at once.
import { jobFinished, kindKeyOf, unmanagedFacts } from '../../shared/engine/index.ts';
import { isObject } from '../../shared/engine/json.ts';
import { resourceId, type JsonObject, type JsonValue, type KubeObject } from '../../shared/types.ts';
import { compactManagedFields } from './compact-managed-fields.ts';
import { liveStrings, withSharedStrings } from './share-strings.ts';

export type ChangeKind = 'add' | 'update' | 'delete';

export interface LiveChange {
  id: string;
  kind: string;
  change: ChangeKind;
}

/** What is known of every watched object; `object` only for tracked ones. */
export interface LiveEntry {
  /** The kind key: `Deployment`, `Gateway.gateway.networking.k8s.io`. */
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  /** The controlling owner as `Kind/name`, when there is one. */
  owner: string | undefined;
  object: KubeObject | undefined;
  /**
   * For an untracked, namespaced object the cluster did not make itself: the fields the Unmanaged
   * verdict reads (name, uid, creation, managers), kept only while unmanaged objects are reported.
   */
  facts?: KubeObject;
}

/** Reads one object from the API server (null when it does not exist). */
export type LiveFetcher = (entry: LiveEntry) => Promise<KubeObject | null>;

export function liveId(obj: KubeObject): string {
  const ns = obj.metadata['namespace'];
  const name = obj.metadata['name'];
  return resourceId(kindKeyOf(obj), typeof ns === 'string' ? ns : '', typeof name === 'string' ? name : '');
}

function versionOf(obj: KubeObject): string {
  const rv = obj.metadata['resourceVersion'];
  return typeof rv === 'string' ? rv : '';
}

function ownerOf(obj: KubeObject): string | undefined {
  const refs = obj.metadata['ownerReferences'];
  if (!Array.isArray(refs)) return undefined;
  const ref = (refs.find((r) => (r as { controller?: unknown }).controller === true) ?? refs[0]) as
    { kind?: unknown; name?: unknown } | undefined;
  return ref && typeof ref.kind === 'string' && typeof ref.name === 'string'
    ? `${ref.kind}/${ref.name}`
    : undefined;
}

/** The client-side apply annotation: a second copy of the object as text; the engine drops it. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What is kept of a tracked live object: all but `status` and the last-applied annotation, which
 * the engine's first normaliser drops from live before it reads anything (shared/engine/normalize/
 * metadata.ts), so verdicts, hashes and revert plans are the same from this as from the object.
 * managedFields stay (attribution, ignore_managers and the Unmanaged verdict read them), held once
 * for all objects that share them and without their status part (compact-managed-fields.ts);
 * identity stays (memo keys). Its strings point at one copy per value (share-strings.ts). The
 * object itself keeps its fields and values (only which copy of an equal string it points at may
 * change).
 */
export function liveProjection(obj: KubeObject): KubeObject {
  return withSharedStrings(projection(obj));
}

function projection(obj: KubeObject): KubeObject {
  const annotations = obj.metadata['annotations'];
  const lastApplied = isObject(annotations) && LAST_APPLIED in annotations;
  if (!('status' in obj) && !lastApplied && !('managedFields' in obj.metadata)) return obj;
  const out: JsonObject = {};
  for (const key in obj)
    if (key === 'metadata') out[key] = keptMetadata(obj.metadata, obj.kind);
    else if (key !== 'status') out[key] = obj[key] as JsonValue;
  return out as KubeObject;
}

/** The metadata kept: a spread copy (room for exactly its fields, see compactEntry) with two replaced. */
function keptMetadata(metadata: JsonObject, kind: string): JsonObject {
  const out: JsonObject = { ...metadata };
  if ('managedFields' in out) {
    const compact = compactManagedFields(out['managedFields'], kind);
    if (compact === undefined) delete out['managedFields'];
    else out['managedFields'] = compact;
  }
  const annotations = out['annotations'];
  if (isObject(annotations) && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...kept } = annotations;
    out['annotations'] = kept;
  }
  return out;
}

/** How many objects are read at once when tracked objects have to be fetched (see ensure). */
const FETCH_CONCURRENCY = 8;

export class LiveState {
  private readonly entries = new Map<string, LiveEntry>();
  private readonly listeners: ((change: LiveChange) => void)[] = [];
  private tracked: (id: string) => boolean = () => true;
  private fetcher: LiveFetcher | undefined;
  private keepFacts = false;
  /** Changes stored without being announced (see changeMark). */
  private unannounced = 0;
  /**
   * Jobs last seen finished (condition Complete or Failed), kept after they are deleted: the
   * evidence that one Git lets its TTL remove went as Git asked (EngineOptions.finishedJobs). A
   * Job seen running again (re-created) is dropped. In memory: lost when the agent restarts.
   */
  readonly finishedJobs = new Set<string>();

  onChange(listener: (change: LiveChange) => void): void {
    this.listeners.push(listener);
  }

  /** How many changes were stored without being announced (initial lists). */
  changeMark(): number {
    return this.unannounced;
  }

  /**
   * Which ids are kept whole (default: all). Objects already held whole that are no longer
   * tracked are slimmed by the next `compact()`; tracked ones held light by the next `ensure()`.
   */
  trackOnly(tracked: (id: string) => boolean): void {
    this.tracked = tracked;
  }

  /** Whether untracked candidates keep their Unmanaged facts (drift.unmanaged: report). */
  keepUnmanagedFacts(on: boolean): void {
    this.keepFacts = on;
  }

  /** How a light entry is read whole when Git starts to name it (set by the watches). */
  setFetcher(fetcher: LiveFetcher): void {
    this.fetcher = fetcher;
  }

  /** The whole object; undefined when it does not exist or is not tracked. */
  get(id: string): KubeObject | undefined {
    return this.entries.get(id)?.object;
  }

  /** The index entry of any watched object. */
  entry(id: string): LiveEntry | undefined {
    return this.entries.get(id);
  }

  /** Every watched object's index entry (for views over untracked objects). */
  index(): IterableIterator<[string, LiveEntry]> {
    return this.entries.entries();
  }

  /**
   * What the Unmanaged verdict reads of an object: the whole object when it is held whole (Git
   * named it until now), else its facts; undefined when it does not exist or the cluster made it.
   */
  unmanaged(id: string): KubeObject | undefined {
    const e = this.entries.get(id);
    return e?.object ?? e?.facts;
  }

  /** Ids of the untracked objects that keep Unmanaged facts (for a full run). */
  *unmanagedIds(): IterableIterator<string> {
    for (const [id, e] of this.entries) if (e.facts) yield id;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries.values()) out[e.kind] = (out[e.kind] ?? 0) + 1;
    return out;
  }

  /**
   * Reads whole, from the API server, the objects among `ids` that are tracked but held light
   * (Git started to name them after they were listed). Failures leave them light: the object is
   * then analysed from its next watch event or the next call.
   */
  async ensure(ids: Iterable<string>): Promise<number> {
    const fetcher = this.fetcher;
    if (!fetcher) return 0;
    const wanted: [string, LiveEntry][] = [];
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e && !e.object && this.tracked(id)) wanted.push([id, e]);
    }
    let fetched = 0;
    for (let i = 0; i < wanted.length; i += FETCH_CONCURRENCY) {
      await Promise.all(
        wanted.slice(i, i + FETCH_CONCURRENCY).map(async ([id, e]) => {
          const obj = await fetcher(e).catch(() => undefined);
          // Whatever happens here is not announced: a failure is retried by the next full pass.
          this.unannounced++;
          if (obj === undefined) return;
          if (obj === null) {
            if (this.entries.get(id) === e) this.entries.delete(id);
            return;
          }
          // A watch event that arrived meanwhile is at least as new: keep it.
          const now = this.entries.get(id);
          if (now && now !== e) return;
          this.entries.set(id, this.entryOf(obj, true));
          fetched++;
        }),
      );
    }
    return fetched;
  }

  /** Drops the bodies of objects Git no longer names (after a Git change). */
  compact(): number {
    let dropped = 0;
    for (const [id, e] of this.entries) {
      if (e.object && !this.tracked(id)) {
        const facts = this.factsOf(e.object);
        if (facts) e.facts = facts;
        e.object = undefined;
        dropped++;
      }
    }
    return dropped;
  }

  /** Stores the object; returns the change it was, or null when this version is already known. */
  upsert(obj: KubeObject, notify: boolean): LiveChange | null {
    const id = liveId(obj);
    const old = this.entries.get(id);
    const rv = versionOf(obj);
    const whole = this.tracked(id);
    // Same version: nothing changed, unless a light entry is now to be held whole.
    if (old && old.resourceVersion === rv && (old.object !== undefined || !whole)) return null;
    this.noteJob(id, obj);
    this.entries.set(id, this.entryOf(obj, whole));
    return this.emit({ id, kind: obj.kind, change: old ? 'update' : 'add' }, notify);
  }

  remove(obj: KubeObject, notify: boolean): LiveChange | null {
    const id = liveId(obj);
    // The deletion event carries the object's last state: a Job may have finished just before.
    this.noteJob(id, obj);
    if (!this.entries.delete(id)) return null;
    return this.emit({ id, kind: obj.kind, change: 'delete' }, notify);
  }

  /** Removes by id (a relist found it gone). */
  private removeId(id: string, kind: string, notify: boolean): LiveChange | null {
    if (!this.entries.delete(id)) return null;
    return this.emit({ id, kind, change: 'delete' }, notify);
  }

  /**
   * After a complete (possibly paged) list of one kind (by kind key) in one scope (namespace, or all when
   * undefined): objects of that scope not `seen` in it are deleted. Returns the changes.
   */
  removeUnseen(
    key: string,
    namespace: string | undefined,
    seen: ReadonlySet<string>,
    notify: boolean,
  ): LiveChange[] {
    const gone: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.kind !== key || seen.has(id)) continue;
      if (namespace !== undefined && e.namespace !== namespace) continue;
      gone.push(id);
    }
    const changes: LiveChange[] = [];
    for (const id of gone) {
      const c = this.removeId(id, key, notify);
      if (c) changes.push(c);
    }
    return changes;
  }

  /** A fresh unpaged list of one scope replaces what was known there (see removeUnseen). */
  replaceScope(
    key: string,
    namespace: string | undefined,
    items: KubeObject[],
    notify: boolean,
  ): LiveChange[] {
    const changes = this.removeUnseen(key, namespace, new Set(items.map(liveId)), notify);
    for (const item of items) {
      const c = this.upsert(item, notify);
      if (c) changes.push(c);
    }
    return changes;
  }

  private noteJob(id: string, obj: KubeObject): void {
    if (obj.kind !== 'Job') return;
    if (jobFinished(obj)) this.finishedJobs.add(id);
    else this.finishedJobs.delete(id);
  }

  private entryOf(obj: KubeObject, whole: boolean): LiveEntry {
    const ns = obj.metadata['namespace'];
    const name = obj.metadata['name'];
    const entry: LiveEntry = {
      kind: liveStrings.intern(kindKeyOf(obj)),
      namespace: liveStrings.intern(typeof ns === 'string' ? ns : ''),
      name: liveStrings.intern(typeof name === 'string' ? name : ''),
      resourceVersion: versionOf(obj),
      owner: ownerOf(obj),
      object: whole ? liveProjection(obj) : undefined,
    };
    const facts = whole ? null : this.factsOf(obj);
    if (facts) entry.facts = facts;
    return entry;
  }

  /** Unmanaged facts of a namespaced object, when they are kept and the cluster did not make it. */
  private factsOf(obj: KubeObject): KubeObject | null {
    if (!this.keepFacts || typeof obj.metadata['namespace'] !== 'string') return null;
    return unmanagedFacts(obj);
  }

  private emit(change: LiveChange, notify: boolean): LiveChange {
    if (notify) for (const l of this.listeners) l(change);
    else this.unannounced++;
    return change;
  }
}
