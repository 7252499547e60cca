// The live cluster as plain JSON objects keyed by resource id, fed by the watches. It tells its
// listener about each real change (a new resourceVersion, an add, a delete) so that one object can
// be analysed at once.
import { kindKeyOf } from '../../shared/engine/index.ts';
import { resourceId, type KubeObject } from '../../shared/types.ts';

export type ChangeKind = 'add' | 'update' | 'delete';

export interface LiveChange {
  id: string;
  kind: string;
  change: ChangeKind;
}

export function liveId(obj: KubeObject): string {
  const ns = obj.metadata['namespace'];
  const name = obj.metadata['name'];
  return resourceId(kindKeyOf(obj), typeof ns === 'string' ? ns : '', typeof name === 'string' ? name : '');
}

function versionOf(obj: KubeObject): string {
  const rv = obj.metadata['resourceVersion'];
  return typeof rv === 'string' ? rv : '';
}

export class LiveState {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners: ((change: LiveChange) => void)[] = [];

  onChange(listener: (change: LiveChange) => void): void {
    this.listeners.push(listener);
  }

  get(id: string): KubeObject | undefined {
    return this.objects.get(id);
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const obj of this.objects.values()) {
      const key = kindKeyOf(obj);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  /** Stores the object; returns the change it was, or null when this version is already known. */
  upsert(obj: KubeObject, notify: boolean): LiveChange | null {
    const id = liveId(obj);
    const old = this.objects.get(id);
    if (old && versionOf(old) === versionOf(obj)) return null;
    this.objects.set(id, obj);
    return this.emit({ id, kind: obj.kind, change: old ? 'update' : 'add' }, notify);
  }

  remove(obj: KubeObject, notify: boolean): LiveChange | null {
    const id = liveId(obj);
    if (!this.objects.delete(id)) return null;
    return this.emit({ id, kind: obj.kind, change: 'delete' }, notify);
  }

  /**
   * A fresh list of one kind (by kind key) in one scope (namespace, or all when undefined) replaces
   * what was known there; objects missing from it are deleted. Returns the changes.
   */
  replaceScope(
    key: string,
    namespace: string | undefined,
    items: KubeObject[],
    notify: boolean,
  ): LiveChange[] {
    const seen = new Set(items.map(liveId));
    const changes: LiveChange[] = [];
    for (const [id, obj] of this.objects) {
      if (kindKeyOf(obj) !== key || seen.has(id)) continue;
      if (namespace !== undefined && obj.metadata['namespace'] !== namespace) continue;
      const c = this.remove(obj, notify);
      if (c) changes.push(c);
    }
    for (const item of items) {
      const c = this.upsert(item, notify);
      if (c) changes.push(c);
    }
    return changes;
  }

  private emit(change: LiveChange, notify: boolean): LiveChange {
    if (notify) for (const l of this.listeners) l(change);
    return change;
  }
}
