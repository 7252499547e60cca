// Secret values never leave the engine. Before comparison every Secret value is replaced by a salted
// hash, so equal values compare equal and the hashes of a Secret object change when a value changes,
// but neither the plain value nor its base64 form reaches a DriftResult (details show REDACTED).
import { hash } from 'node:crypto';
import type { JsonObject } from '../types.ts';
import { isObject } from './json.ts';

export const REDACTED = '(redacted)';

/** The fields of a Secret that hold its values. */
export const SECRET_VALUE_FIELDS = ['data', 'stringData', 'binaryData'] as const;

const SECRET_VALUE_PATH = new RegExp(`^(${SECRET_VALUE_FIELDS.join('|')})(\\.|\\[|$)`);

/**
 * The one rule for "this path holds a Secret value" (`data`, `data.password`, `stringData[...]`),
 * used by the engine's redaction and classification and by every view of the plugin.
 */
export function isSecretValuePath(kind: string, path: string): boolean {
  return kind === 'Secret' && SECRET_VALUE_PATH.test(path);
}

export function saltedHash(salt: string, value: string): string {
  // The same bytes as hashing salt, NUL and value in turn (UTF-8 of a concatenation is the concatenation).
  return `sha256:${hash('sha256', `${salt}\0${value}`, 'hex')}`;
}

/**
 * Fold `stringData` into `data` (as the API server does on write: stringData wins) and replace every
 * `data` value by the salted hash of its bytes. Base64 is re-encoded first so line-wrapped or
 * differently padded base64 of the same bytes compares equal.
 */
export function hashSecretData(secret: JsonObject, salt: string): void {
  const data: JsonObject = isObject(secret['data']) ? secret['data'] : {};
  const stringData = secret['stringData'];
  if (isObject(stringData)) {
    for (const [k, v] of Object.entries(stringData)) {
      if (v === null || v === undefined) continue;
      data[k] = Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64');
    }
    delete secret['stringData'];
  }
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') {
      data[k] = saltedHash(salt, JSON.stringify(v));
      continue;
    }
    const canonical = Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('base64');
    data[k] = saltedHash(salt, canonical);
  }
  if (Object.keys(data).length > 0) secret['data'] = data;
}
