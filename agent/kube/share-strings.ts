// The live view keeps each tracked object for the agent's life, and JSON.parse gives every object
// its own copy of every string value: the namespace, image, labels, "IfNotPresent",
// "ClusterFirst", "/dev/termination-log", the creation time its managedFields repeat. The strings
// of the kept projection are pointed at one copy per value (memory/string-pool.ts), in place:
// equal values, so verdicts, hashes and revert plans read exactly what they read before.
import type { JsonValue } from '../../shared/types.ts';
import { StringPool } from '../memory/string-pool.ts';

/** The live view's pool: one per process (the watches of every kind feed one view). */
export const liveStrings = new StringPool();

/** Longer values (certificates, scripts, Secret data) are seldom repeated; hashing one costs its length. */
const MAX_LENGTH = 256;

/** Metadata values no two objects share: not worth a slot in the pool. */
const UNIQUE = new Set(['uid', 'resourceVersion']);

function shared(v: JsonValue, key: string, metadata: boolean): JsonValue {
  if (typeof v === 'string')
    return v.length <= MAX_LENGTH && !(metadata && UNIQUE.has(key)) ? liveStrings.intern(v) : v;
  if (typeof v === 'object' && v !== null) shareStrings(v);
  return v;
}

/**
 * Points the strings of `value` (at any depth) at the pool's copies, in place. Frozen parts (shared
 * managedFields trees and entries) are left as they are: they are held once already.
 */
function shareStrings(value: JsonValue, metadata = false): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = shared(value[i] as JsonValue, '', false);
    return;
  }
  for (const key in value) value[key] = shared(value[key] as JsonValue, key, metadata);
}

/** The kept projection of a live object with its strings shared (in place; returns it). */
export function withSharedStrings<T extends { metadata: JsonValue }>(obj: T): T {
  if (Object.isFrozen(obj)) return obj;
  for (const key in obj)
    if (key === 'metadata') shareStrings(obj.metadata, true);
    else
      (obj as Record<string, JsonValue>)[key] = shared(
        (obj as Record<string, JsonValue>)[key] as JsonValue,
        key,
        false,
      );
  return obj;
}
