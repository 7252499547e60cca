// Where a human writes an adopted field of an object a Kustomize overlay takes from its base: an image
// goes to the overlay's `images:`, a replica count to its `replicas:`, anything else to a
// strategic-merge patch file in the overlay (named after the object, listed under `patches:`).
// Pure: the caller reads the files and applies the edits with editYaml.
import type { JsonObject, JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { getAt, isOrderedList, keyedItems, type Segment } from '../path.ts';
import type { AdoptField } from './plan.ts';
import type { FieldEdit } from './yaml-edit.ts';

export interface ImageRef {
  name: string;
  tag: string | null;
  digest: string | null;
}

/** `registry:5000/app:1.2@sha256:…` → name, tag, digest (a `:` before the last `/` is a port). */
export function parseImage(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : null;
  return { name: tag === null ? rest : rest.slice(0, colon), tag, digest };
}

export interface OverlayInput {
  kind: string;
  apiVersion: string;
  /** The object's name in its base file (before namePrefix/nameSuffix). */
  baseName: string;
  /** The object as its base file declares it. */
  baseObject: JsonObject;
  /** The overlay's kustomization. */
  kustomization: JsonObject;
  fields: readonly AdoptField[];
  /** The live object as the engine compares it (revertPlan's live_view), for lists written whole. */
  liveView?: JsonObject | null | undefined;
}

export interface OverlayPlan {
  /** Edits of the overlay's kustomization file. */
  kustomization: FieldEdit[];
  /** Edits of the patch file (the fields not written as images/replicas); empty when none. */
  patch: FieldEdit[];
  /** Which field went where, for the user. */
  placed: { path: string; where: 'images' | 'replicas' | 'patch' }[];
}

function isImageField(segs: readonly Segment[]): boolean {
  const n = segs.length;
  const list = segs[n - 3];
  const last = segs[n - 1];
  return (
    n >= 3 &&
    last !== undefined &&
    'field' in last &&
    last.field === 'image' &&
    segs[n - 2] !== undefined &&
    'key' in (segs[n - 2] as Segment) &&
    list !== undefined &&
    'field' in list &&
    (list.field === 'containers' || list.field === 'initContainers')
  );
}

function isReplicas(segs: readonly Segment[]): boolean {
  return (
    segs.length === 2 &&
    'field' in segs[0]! &&
    segs[0].field === 'spec' &&
    'field' in segs[1]! &&
    segs[1].field === 'replicas'
  );
}

/** The entry of a `name`-keyed list of the kustomization (images:, replicas:) with this name, if any. */
function entryNamed(k: JsonObject, list: string, name: string): JsonObject | null {
  const items = k[list];
  if (!Array.isArray(items)) return null;
  return (items.find((i) => isObject(i) && i['name'] === name) as JsonObject | undefined) ?? null;
}

function listEntry(k: JsonObject, list: string, name: string, entry: JsonObject): FieldEdit {
  const seg: Segment = { key: { name }, label: `name=${name}` };
  if (entryNamed(k, list, name)) return { segs: [{ field: list }, seg], value: entry };
  const items = k[list];
  // A new entry: appended to the list, or the list made.
  if (Array.isArray(items) && items.length > 0 && keyedItems(items, [{ field: list }], 'Kustomization'))
    return { segs: [{ field: list }, seg], value: entry };
  return { segs: [{ field: list }], value: [...(Array.isArray(items) ? items : []), entry] };
}

/** The images: entry that turns the base's image into the live one; null when the base has none. */
function imageEntry(base: JsonValue | undefined, live: JsonValue | null): JsonObject | null {
  if (typeof base !== 'string' || typeof live !== 'string') return null;
  const b = parseImage(base);
  const l = parseImage(live);
  const entry: JsonObject = { name: b.name };
  if (l.name !== b.name) entry['newName'] = l.name;
  if (l.tag !== null) entry['newTag'] = l.tag;
  if (l.digest !== null) entry['digest'] = l.digest;
  return entry;
}

/** A removal in strategic-merge-patch terms: a key set to null, a list item marked `$patch: delete`. */
function patchEdit(f: AdoptField): FieldEdit {
  if (f.value !== undefined) return { segs: f.segs, value: f.value };
  const last = f.segs[f.segs.length - 1];
  if (last && 'key' in last) return { segs: f.segs, value: { ...last.key, $patch: 'delete' } };
  return { segs: f.segs, value: null };
}

export function overlayPlan(input: OverlayInput): OverlayPlan {
  const out: OverlayPlan = { kustomization: [], patch: [], placed: [] };
  for (const f of input.fields) {
    if (isImageField(f.segs)) {
      const entry = imageEntry(getAt(input.baseObject, f.segs, input.kind), f.to);
      if (entry) {
        out.kustomization.push(listEntry(input.kustomization, 'images', entry['name'] as string, entry));
        out.placed.push({ path: f.path, where: 'images' });
        continue;
      }
    }
    if (isReplicas(f.segs) && typeof f.to === 'number') {
      out.kustomization.push(
        listEntry(input.kustomization, 'replicas', input.baseName, { name: input.baseName, count: f.to }),
      );
      out.placed.push({ path: f.path, where: 'replicas' });
      continue;
    }
    out.patch.push(patchEdit(f));
    out.placed.push({ path: f.path, where: 'patch' });
  }
  out.patch = orderedWhole(out.patch, input);
  return out;
}

/** Where `segs` enters an ordered keyed list (env, initContainers): the list's own segments. */
function orderedListOf(segs: readonly Segment[]): Segment[] | null {
  for (let i = 1; i < segs.length; i++)
    if ('key' in segs[i]! && isOrderedList(segs.slice(0, i))) return segs.slice(0, i);
  return null;
}

/**
 * A strategic merge puts a patch's new list items before the others, which reorders an ordered list
 * (env: a `$(VAR)` sees only the variables before it). So an edit inside env or initContainers is
 * written as the whole live list, in live order, with `$patch: delete` for the base's items live no
 * longer has.
 */
function orderedWhole(edits: FieldEdit[], input: OverlayInput): FieldEdit[] {
  const out: FieldEdit[] = [];
  const done = new Set<string>();
  for (const e of edits) {
    const list = orderedListOf(e.segs);
    const live = list && input.liveView ? getAt(input.liveView, list, input.kind) : undefined;
    if (!list || !Array.isArray(live)) {
      out.push(e);
      continue;
    }
    const id = JSON.stringify(list);
    if (done.has(id)) continue;
    done.add(id);
    const liveItems = keyedItems(live, list, input.kind) ?? [];
    const base = getAt(input.baseObject, list, input.kind);
    const gone = (Array.isArray(base) ? (keyedItems(base, list, input.kind) ?? []) : [])
      .filter((b) => !liveItems.some((l) => l.id === b.id))
      .map((b) => ({ ...b.seg.key, $patch: 'delete' }) as JsonObject);
    out.push({ segs: list, value: [...live, ...gone] });
  }
  return out;
}

/** The skeleton of a new patch file for the object: what a strategic-merge patch is matched by. */
export function patchSkeleton(apiVersion: string, kind: string, baseName: string): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${baseName}\n`;
}

/** The edit that lists `file` under the kustomization's `patches:` (none when it is listed already). */
export function listPatch(k: JsonObject, file: string): FieldEdit | null {
  const listed = (v: JsonValue | undefined): boolean =>
    Array.isArray(v) && v.some((p) => p === file || (isObject(p) && p['path'] === file));
  if (listed(k['patches']) || listed(k['patchesStrategicMerge'])) return null;
  const patches = Array.isArray(k['patches']) ? k['patches'] : [];
  return { segs: [{ field: 'patches' }], value: [...patches, { path: file }] };
}

/** Does the overlay already set this field through images:/replicas:? Then that entry is where it goes. */
export function overlaySets(input: OverlayInput, f: AdoptField): boolean {
  if (isReplicas(f.segs)) return entryNamed(input.kustomization, 'replicas', input.baseName) !== null;
  if (isImageField(f.segs)) {
    const base = getAt(input.baseObject, f.segs, input.kind);
    return (
      typeof base === 'string' && entryNamed(input.kustomization, 'images', parseImage(base).name) !== null
    );
  }
  return false;
}
