// The one place where query strings become typed filters, declared with zod (the OpenAPI
// document's parameters are generated from these schemas). Every parameter is checked against an
// allow-list (the schema's keys) and a strict format, so nothing a client sends reaches the database
// as an operator: `namespace[$ne]=x` is an unknown parameter, `namespace={"$ne":null}` is not a
// namespace name, a repeated parameter is ambiguous. Each failure names the parameter and what was
// expected.
import { z } from 'zod';
import { DRIFT_TYPES, SEVERITIES, type DriftStatus } from '../../shared/types.ts';
import type { RecordQuery } from '../store/store.ts';
import { ApiError } from './errors.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Far beyond any real page; keeps offsets small integers for every backend. */
export const MAX_OFFSET = 1_000_000_000;

// Each error map says what was expected; `readQuery` adds the parameter and the text it was given.
const name = (pattern: RegExp, what: string) =>
  z.string().max(253, { error: what, abort: true }).regex(pattern, { error: what });

/** Digits only (no sign, exponent or blank), then a safe integer within the bounds. */
const integer = (min: number, max: number) => {
  const error = `an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[0-9]+$/, { error, abort: true })
    .transform(Number)
    .pipe(z.int({ error }).min(min, { error }).max(max, { error }));
};

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` });

/** The parameters of the list endpoints; `status` is fixed by /active and /resolved. */
export const pageParams = {
  limit: integer(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: integer(0, MAX_OFFSET).default(0),
};

export const recordParams = z.strictObject({
  namespace: name(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name')
    .optional()
    .describe('Only records in this namespace (a Kubernetes namespace name).'),
  drift_detected: z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'true or false' }).optional(),
  kind: name(/^[A-Za-z][A-Za-z0-9]*$/, 'a Kubernetes kind (letters and digits)').optional(),
  severity: oneOf(SEVERITIES).optional(),
  type: oneOf(DRIFT_TYPES).optional(),
  ...pageParams,
});

export const historyParams = z.strictObject({ limit: pageParams.limit });

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

/** The `limit` of the history endpoint (default 100, max 1000). */
export function historyLimit(querystring: string): number {
  return readQuery(historyParams, querystring).limit;
}

/** Rejects any query string on endpoints that take none. */
export function noParams(querystring: string): void {
  readQuery(NO_PARAMS, querystring);
}
