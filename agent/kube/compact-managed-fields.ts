// managedFields as the live view keeps them: the same entries the engine reads (manager,
// operation, subresource, time, the FieldsV1 tree; shared/engine/managed-fields.ts), held once
// for all objects that share them. A FieldsV1 tree names fields, never values, so the objects a
// chart or a controller writes carry the same tree again and again: parsed per object it is most
// of a tracked object's memory (~3.2 KB of a 5.2 KB Deployment, measured: test/bench/held-state.ts).
// Here each distinct tree is kept once, frozen (the engine only reads it; a write would throw
// instead of changing every object that shares it), and forgotten when no object holds it any
// more (weak references), so a cluster's churn never grows the table past what is held. The
// `f:status` part of a tree goes: the live view keeps no status (live-state.ts), so nothing asks
// who owns a status field. Entries keep their order and every field, so who wrote what and when
// is read from them exactly as from the object.
import { isObject } from '../../shared/engine/json.ts';
import type { JsonObject, JsonValue } from '../../shared/types.ts';
import { liveStrings } from './share-strings.ts';

function deepFreeze<T extends JsonValue>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** Distinct values held weakly by their text: one copy however many objects hold it. */
class WeakTable<T extends object> {
  private readonly map = new Map<string, WeakRef<T>>();
  private readonly registry = new FinalizationRegistry<string>((key) => {
    // The key may hold a newer value by now (made after the old one was collected).
    if (this.map.get(key)?.deref() === undefined) this.map.delete(key);
  });

  intern(key: string, make: () => T): T {
    const held = this.map.get(key)?.deref();
    if (held !== undefined) return held;
    const value = make();
    this.map.set(key, new WeakRef(value));
    this.registry.register(value, key);
    return value;
  }

  get size(): number {
    return this.map.size;
  }
}

const trees = new WeakTable<JsonObject>();

/**
 * The few values an entry's strings take (managers, operations, API versions): one copy each.
 * Bounded: past the bound a value is kept as it came (a cluster with that many managers is odd).
 */
const words = new Map<string, string>();
const MAX_WORDS = 4096;

function word(v: JsonValue): JsonValue {
  if (typeof v !== 'string') return v;
  const held = words.get(v);
  if (held !== undefined) return held;
  if (words.size < MAX_WORDS) words.set(v, v);
  return v;
}

/** Whether `fresh` (its `f:status` part aside) holds the same fields as the held tree. */
function sameTree(held: JsonObject, fresh: JsonObject, top: boolean): boolean {
  let count = 0;
  for (const key in fresh) {
    if (top && key === 'f:status') continue;
    const a = held[key];
    const b = fresh[key];
    if (!isObject(a) || !isObject(b) || !sameTree(a, b, false)) return false;
    count++;
  }
  for (const _ in held) count--;
  return count === 0;
}

/**
 * The last tree each writer (kind, manager, subresource) left: the objects of one kind mostly repeat
 * it, and comparing with it costs a fraction of the text that finds a tree in the table.
 */
const lastTree = new Map<string, JsonObject>();

/** The tree without its `f:status` part (the live view keeps no status), held once. */
function sharedTree(fields: JsonObject, writer: string): JsonObject {
  const last = lastTree.get(writer);
  if (last && sameTree(last, fields, true)) return last;
  let tree = fields;
  if ('f:status' in fields) {
    const { 'f:status': _status, ...rest } = fields;
    tree = rest;
  }
  const shared = trees.intern(JSON.stringify(tree), () => deepFreeze(structuredClone(tree)));
  if (last || lastTree.size < MAX_WORDS) lastTree.set(writer, shared);
  return shared;
}

/**
 * One entry with its tree shared and its few-valued strings interned; its own fields, in order.
 * Built as a spread copy, which V8 makes with room for exactly its fields (one added at a time,
 * fields past the fourth go to a separate property array: ~40 B more per entry).
 */
function compactEntry(entry: JsonObject, kind: string): JsonObject {
  const out: JsonObject = { ...entry };
  for (const key in out) {
    const value = out[key];
    // Not JSON (a typed client's object): dropped as before; rare, so its slower shape does not matter.
    if (value === undefined) delete out[key];
    else if (key === 'fieldsV1' && isObject(value))
      out[key] = sharedTree(value, `${kind}|${String(entry['manager'])}|${String(entry['subresource'])}`);
    else if (key === 'time') out[key] = typeof value === 'string' ? liveStrings.intern(value) : value;
    else out[key] = word(value);
  }
  return Object.freeze(out);
}

/** The object's managedFields as the live view keeps them (anything but a list passes as it came). */
export function compactManagedFields(list: JsonValue | undefined, kind = ''): JsonValue | undefined {
  if (!Array.isArray(list)) return list;
  const out: JsonValue[] = list.map((e) => (isObject(e) ? compactEntry(e, kind) : e));
  return Object.freeze(out) as JsonValue[];
}

/** How many distinct trees are held now (for tests). */
export function heldTrees(): number {
  return trees.size;
}
