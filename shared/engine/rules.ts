// The engine's rules, declared once with zod: the types are inferred from these schemas, the agent's
// config validates `drift.rules` with them, and validateRules reads untrusted YAML leniently with
// them (a wrong entry is dropped and reported, the rest still applies). Keys are snake_case because
// rules come straight from the user's YAML config file.
import { z } from 'zod';
import { issueMessages, strictMap, withoutNulls } from '../schema.ts';
import { DRIFT_TYPES, SEVERITIES } from '../types.ts';

/** What a wrong value was, after "got": `string "critical"`, `a list`. */
function given(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}

const got =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    `${expected}, got ${given(issue.input)}`;

const nonEmpty = () =>
  z
    .string({ error: got('expected a non-empty string') })
    .min(1, { error: got('expected a non-empty string') });

const severityLevel = z.enum(SEVERITIES, { error: got(`expected one of ${SEVERITIES.join(', ')}`) });

/** Severity per drift type, replacing the type's default severity. */
const severityRules = z.partialRecord(z.enum(DRIFT_TYPES), severityLevel, {
  error: (issue) =>
    // zod reports keys outside the enum as unknown keys of the record.
    (issue.code as string) === 'unrecognized_keys'
      ? `unknown drift type (expected one of ${DRIFT_TYPES.join(', ')})`
      : got('expected a map of drift type to severity')(issue),
});

const IGNORE_KEYS = ['kind', 'namespace', 'name', 'path'] as const;

/** Drift matching every given field is not reported. */
export const ignoreRuleSchema = strictMap(
  {
    kind: nonEmpty().optional(),
    namespace: nonEmpty().optional(),
    name: nonEmpty().optional(),
    /** Path prefix in the engine's path syntax, e.g. `spec.replicas` or `metadata.annotations.foo`. */
    path: nonEmpty().optional(),
  },
  got(`expected a map with ${IGNORE_KEYS.join('/')}`),
).refine((rule) => Object.keys(rule).length > 0, {
  // Only a rule whose keys are all valid can be empty; an unknown key is reported on its own.
  when: (payload) => payload.issues.length === 0,
  error: `empty rule would ignore everything; set at least one of ${IGNORE_KEYS.join(', ')}`,
});

/** A drifted field under `path` whose live owner is one of `managers` is not drift. */
export const ignoreManagersRuleSchema = strictMap(
  {
    /** Path prefix in the engine's path syntax. */
    path: nonEmpty(),
    managers: z
      .array(z.string().min(1), { error: got('expected a non-empty list of manager names') })
      .min(1, { error: got('expected a non-empty list of manager names') }),
  },
  got('expected a map with path and managers'),
);

const RULE_PARTS = {
  severity: severityRules,
  ignore: z.array(ignoreRuleSchema, { error: got('expected a list') }),
  ignore_managers: z.array(ignoreManagersRuleSchema, { error: got('expected a list') }),
};

/** The `rules` a config file may hold; an empty part (`severity:`) counts as not given. */
export const engineRulesSchema = z.preprocess(
  withoutNulls,
  strictMap(
    {
      severity: RULE_PARTS.severity.optional(),
      ignore: RULE_PARTS.ignore.optional(),
      /** Absent: the autoscaler default (DEFAULT_IGNORE_MANAGERS); an explicit list replaces it. */
      ignore_managers: RULE_PARTS.ignore_managers.optional(),
    },
    got('expected a map'),
  ),
);

export type EngineRules = z.output<typeof engineRulesSchema>;
export type IgnoreRule = z.output<typeof ignoreRuleSchema>;
export type IgnoreManagersRule = z.output<typeof ignoreManagersRuleSchema>;

/** The entries of a list that pass `schema`, typed. */
function valid<T>(schema: z.ZodType<T>, items: unknown): T[] | undefined {
  if (!Array.isArray(items)) return undefined;
  return items.flatMap((item) => {
    const r = schema.safeParse(item);
    return r.success ? [r.data] : [];
  });
}

/** The valid parts of rules that failed as a whole: wrong entries dropped, the rest kept. */
function validParts(input: unknown): EngineRules {
  const parts = withoutNulls(input);
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) return {};
  const { severity, ignore, ignore_managers } = parts as Record<string, unknown>;
  const out: EngineRules = {};
  if (typeof severity === 'object' && severity !== null && !Array.isArray(severity)) {
    const pairs = Object.entries(severity).map(([k, v]) => RULE_PARTS.severity.safeParse({ [k]: v }));
    out.severity = Object.assign(
      {},
      ...pairs.map((p) => (p.success ? p.data : {})),
    ) as EngineRules['severity'];
  }
  const ignores = valid(ignoreRuleSchema, ignore);
  if (ignores) out.ignore = ignores;
  const managers = valid(ignoreManagersRuleSchema, ignore_managers);
  if (managers) out.ignore_managers = managers;
  return out;
}

/**
 * Reads rules leniently: the typed rules (wrong entries dropped, the rest applies) and one message
 * per wrong key, e.g. `rules.severity.Foo: unknown drift type`. `defaults` are what an absent part
 * means (the autoscaler ignore_managers).
 */
export function readRules(input: unknown, defaults: EngineRules): { rules: EngineRules; errors: string[] } {
  if (input === undefined || input === null) return { rules: { ...defaults }, errors: [] };
  const parsed = engineRulesSchema.safeParse(input);
  if (parsed.success) return { rules: { ...defaults, ...parsed.data }, errors: [] };
  return {
    rules: { ...defaults, ...validParts(input) },
    errors: issueMessages(parsed.error.issues, ['rules']),
  };
}
