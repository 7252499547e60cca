// The one place where query strings become typed filters, per the zod query schemas of
// shared/api/query.ts (which the plugin's client and the OpenAPI document use too). Every parameter is checked against an
// allow-list (the schema's keys) and a strict format, so nothing a client sends reaches the database
// as an operator: `namespace[$ne]=x` is an unknown parameter, `namespace={"$ne":null}` is not a
// namespace name, a repeated parameter is ambiguous. Each failure names the parameter and what was
// expected.
import { z } from 'zod';
import {
  historyParams,
  recordAddressParams,
  recordParams,
  type RecordAddress,
} from '../../shared/api/query.ts';
import type { DriftStatus } from '../../shared/types.ts';
import type { RecordQuery } from '../store/store.ts';
import { ApiError } from './errors.ts';

export { historyParams, recordAddressParams, recordParams };

const NO_PARAMS = z.strictObject({});

/** Parses the raw query string; rejects unknown and repeated parameters. */
export function parseParams(querystring: string, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(querystring)) {
    if (!allowed.includes(key)) {
      throw new ApiError(400, `unknown query parameter '${key}' (allowed: ${allowed.join(', ') || 'none'})`);
    }
    if (params.has(key)) throw new ApiError(400, `query parameter '${key}' given more than once`);
    params.set(key, value);
  }
  return params;
}

/** The typed parameters of `querystring` per `schema`; a 400 naming the first wrong one. */
export function readQuery<S extends z.ZodObject>(schema: S, querystring: string): z.output<S> {
  const params = parseParams(querystring, Object.keys(schema.shape));
  const result = schema.safeParse(Object.fromEntries(params));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  throw new ApiError(
    400,
    `query parameter '${key}' must be ${issue?.message ?? 'valid'}, got ${JSON.stringify(params.get(key))}`,
  );
}

/** The filters of the drift-record list endpoints; `status` is fixed by /active and /resolved. */
export function recordQuery(querystring: string, status?: DriftStatus): RecordQuery {
  const query: RecordQuery = readQuery(recordParams, querystring);
  if (status !== undefined) query.drift_status = status;
  return query;
}

/** The `cluster` and `limit` (default 100, max 1000) of the history endpoint. */
export function historyQuery(querystring: string): RecordAddress & { limit: number } {
  return readQuery(historyParams, querystring);
}

/** The `cluster` of the record and desired-object endpoints. */
export function recordAddress(querystring: string): RecordAddress {
  return readQuery(recordAddressParams, querystring);
}

/** Rejects any query string on endpoints that take none. */
export function noParams(querystring: string): void {
  readQuery(NO_PARAMS, querystring);
}
