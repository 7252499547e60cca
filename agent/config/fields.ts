// The kinds of value a config key can hold, as zod schemas that carry today's wording: each one
// fails with one message that says what was expected and what was given ("must be a duration such
// as ... (got "soon")"); load.ts only prefixes the key's path. Each kind also says how the text of
// its DRIFTGUARD_* variable becomes a value (environment variables are strings; YAML is not).
import { z } from 'zod';
import { strictMap } from '../../shared/schema.ts';
import { parseDuration, parseSize } from '../../shared/units.ts';

/** How a DRIFTGUARD_* variable's text is read for a key: as is, or as an integer, boolean, comma list or YAML. */
export type EnvKind = 'text' | 'int' | 'bool' | 'list' | 'yaml';

const envKinds = z.registry<{ env: EnvKind }>();

/** Marks `schema` so its DRIFTGUARD_* variable is read as `kind` (unmarked keys take the text as is). */
export function fromEnvAs<T extends z.ZodType>(kind: EnvKind, schema: T): T {
  envKinds.add(schema, { env: kind });
  return schema;
}

/** The env kind of a key's schema, looking through `.optional()`, `.default()` and refinements. */
export function envKindOf(schema: z.ZodType): EnvKind {
  const own = envKinds.get(schema)?.env;
  if (own) return own;
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return envKindOf(schema.unwrap() as z.ZodType);
  return 'text';
}

/** The environment variable that overrides `section.key[.sub]`. */
export function envName(path: readonly string[]): string {
  return `DRIFTGUARD_${path.join('_').toUpperCase()}`;
}

/** What a wrong value was, for "(got ...)": short for maps and lists, exact for scalars. */
export function describeGiven(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return JSON.stringify(v);
}

/** A zod error map: `expected (got <value>)`, or "required" when the key is missing. */
const expect =
  (expected: string, required = 'required') =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? required : `${expected} (got ${describeGiven(issue.input)})`;

/** A string; a YAML number (`name: 123`) is taken as its text. */
export const text = (required?: string) =>
  z
    .union([z.string(), z.number().transform(String)], { error: expect('must be a string', required) })
    .refine((s) => required === undefined || s !== '', { error: required });

/** An integer from `min` to `max`. */
export const int = (min: number, max: number) => {
  const error = expect(`must be an integer from ${min} to ${max}`);
  return fromEnvAs('int', z.int({ error }).min(min, { error, abort: true }).max(max, { error }));
};

export const port = () => int(0, 65535);

export const bool = () => fromEnvAs('bool', z.boolean({ error: expect('must be true or false') }));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: expect(`must be one of ${values.join(', ')}`) });

export const strings = () =>
  fromEnvAs(
    'list',
    z.array(z.string({ error: expect('must be a string') }), { error: expect('must be a list of strings') }),
  );

/** A value parsed from text or a number by `parse` (null: not valid). */
const parsedBy = (parse: (v: unknown) => number | null, expected: string) =>
  z.unknown().transform((value, ctx) => {
    const out = parse(value);
    if (out !== null) return out;
    ctx.addIssue({ code: 'custom', message: expect(expected)({ input: value }) });
    return z.NEVER;
  });

/** Milliseconds, written "500ms", "30s", "2m", "1h30m" or a bare number of ms. */
export const duration = () => parsedBy(parseDuration, 'must be a duration such as "500ms", "30s" or "2m"');

/** Bytes, written "1mb", "512kb" or a bare number of bytes. */
export const size = () => parsedBy(parseSize, 'must be a size such as "1mb" or "512kb"');

/** A section (or sub-section) of keys; any other key is reported as unknown. */
export const section = <S extends z.ZodRawShape>(shape: S) => strictMap(shape, expect('must be a map'));

const shorthands = z.registry<{ key: string }>();

/**
 * A section that may also be written as one string, meaning its `key` (`helm: /usr/bin/helm` for
 * `helm: { path: /usr/bin/helm }`), so a key that grew into a section keeps its old spelling.
 */
export function shorthand<S extends z.ZodObject>(key: string, schema: S) {
  const out = z.preprocess((v) => (typeof v === 'string' ? { [key]: v } : v), schema);
  shorthands.add(out, { key });
  return out;
}

/** The section behind a key (itself, or the one its shorthand stands for), with the shorthand's key. */
export function sectionOf(schema: z.ZodType): { section: z.ZodObject; key: string | null } | null {
  if (schema instanceof z.ZodObject) return { section: schema, key: null };
  const key = shorthands.get(schema)?.key;
  if (key && schema instanceof z.ZodPipe && schema.out instanceof z.ZodObject)
    return { section: schema.out, key };
  return null;
}
