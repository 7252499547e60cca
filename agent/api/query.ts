// The one place where query strings become typed filters. Every parameter is checked against an
// allow-list and a strict format, so nothing a client sends reaches the database as an operator:
// `namespace[$ne]=x` is an unknown parameter, `namespace={"$ne":null}` is not a namespace name,
// a repeated parameter is ambiguous. Each failure names the parameter and what was expected.
import {
  DRIFT_TYPES,
  SEVERITIES,
  type DriftStatus,
  type DriftType,
  type Severity,
} from '../../shared/types.ts';
import type { RecordQuery } from '../store/store.ts';
import { ApiError } from './errors.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Far beyond any real page; keeps offsets small integers for every backend. */
export const MAX_OFFSET = 1_000_000_000;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const DIGITS = /^[0-9]+$/;

type Params = Map<string, string>;

/** Parses the raw query string; rejects unknown and repeated parameters. */
export function parseParams(querystring: string, allowed: readonly string[]): Params {
  const params: Params = new Map();
  for (const [key, value] of new URLSearchParams(querystring)) {
    if (!allowed.includes(key)) {
      throw new ApiError(400, `unknown query parameter '${key}' (allowed: ${allowed.join(', ') || 'none'})`);
    }
    if (params.has(key)) throw new ApiError(400, `query parameter '${key}' given more than once`);
    params.set(key, value);
  }
  return params;
}

function matching(params: Params, key: string, pattern: RegExp, what: string): string | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  if (value.length > 253 || !pattern.test(value)) {
    throw new ApiError(400, `query parameter '${key}' must be ${what}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(params: Params, key: string, values: readonly T[]): T | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  const found = values.find((v) => v === value);
  if (found === undefined) {
    throw new ApiError(
      400,
      `query parameter '${key}' must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return found;
}

function boolean(params: Params, key: string): boolean | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError(400, `query parameter '${key}' must be true or false, got ${JSON.stringify(value)}`);
}

function integer(params: Params, key: string, min: number, max: number): number | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ApiError(
      400,
      `query parameter '${key}' must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Page parameters shared by every list endpoint. */
export function page(params: Params): { limit: number; offset: number } {
  return {
    limit: integer(params, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
    offset: integer(params, 'offset', 0, MAX_OFFSET) ?? 0,
  };
}

export const RECORD_PARAMS = [
  'namespace',
  'drift_detected',
  'kind',
  'severity',
  'type',
  'limit',
  'offset',
] as const;
export const HISTORY_PARAMS = ['limit'] as const;

/** The filters of the drift-record list endpoints; `status` is fixed by /active and /resolved. */
export function recordQuery(querystring: string, status?: DriftStatus): RecordQuery {
  const params = parseParams(querystring, RECORD_PARAMS);
  const query: RecordQuery = { ...page(params) };
  const namespace = matching(params, 'namespace', NAMESPACE, 'a Kubernetes namespace name');
  const kind = matching(params, 'kind', KIND, 'a Kubernetes kind (letters and digits)');
  const driftDetected = boolean(params, 'drift_detected');
  const severity: Severity | undefined = oneOf(params, 'severity', SEVERITIES);
  const type: DriftType | undefined = oneOf(params, 'type', DRIFT_TYPES);
  if (namespace !== undefined) query.namespace = namespace;
  if (kind !== undefined) query.kind = kind;
  if (driftDetected !== undefined) query.drift_detected = driftDetected;
  if (severity !== undefined) query.severity = severity;
  if (type !== undefined) query.type = type;
  if (status !== undefined) query.drift_status = status;
  return query;
}

/** The `limit` of the history endpoint (default 100, max 1000). */
export function historyLimit(querystring: string): number {
  return page(parseParams(querystring, HISTORY_PARAMS)).limit;
}

/** Rejects any query string on endpoints that take none. */
export function noParams(querystring: string): void {
  parseParams(querystring, []);
}
