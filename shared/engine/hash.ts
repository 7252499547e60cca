// Stable content hash of a normalised object: sha256 over canonical JSON (keys sorted at every level),
// so equal objects hash equal whatever their key order, and the agent can compare hashes across runs.
import { createHash } from 'node:crypto';
import type { JsonValue } from '../types.ts';
import { canonicalJson } from './json.ts';

export function stableHash(v: JsonValue): string {
  return `sha256:${createHash('sha256').update(canonicalJson(v)).digest('hex')}`;
}
