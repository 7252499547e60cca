// Empty vs absent: the API server drops nulls and an empty map or list means the same as none
// (`resources: {}`, `securityContext: {}`, `env: []`, `creationTimestamp: null`).
import type { JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { eachSide } from './types.ts';

/** Returns true when the node is empty after pruning (so the parent removes it). */
export function pruneEmpty(node: JsonValue): boolean {
  if (node === null) return true;
  if (Array.isArray(node)) {
    // Keep list items as they are (positions matter); only drop nulls inside them.
    for (const x of node) pruneEmpty(x);
    return node.length === 0;
  }
  if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) if (pruneEmpty(v)) delete node[k];
    return Object.keys(node).length === 0;
  }
  return false;
}

export const emptyNormalizer = eachSide('empty-vs-absent', (o) => {
  pruneEmpty(o);
});
